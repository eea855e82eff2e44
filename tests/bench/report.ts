import { readFileSync, writeFileSync } from 'node:fs'

const PATH = 'docs/benchmarks.md'
const HEADER =
  '# Benchmarks\n\nWritten by `npm run bench` (tests/bench/run.ts) and `npm run soak` (tests/bench/soak.ts); newest first.\n' +
  'Budgets: ../shared/guide/quality.md. Load tests run against 127.0.0.1 only, bounded in time.\n\n'

/** Prepend a dated section to docs/benchmarks.md, keeping earlier runs below it. */
export function prependSection(section: string): void {
  let existing = ''
  try {
    existing = readFileSync(PATH, 'utf8')
  } catch {
    // first run
  }
  const at = existing.indexOf('\n## ')
  const body = at >= 0 ? existing.slice(at + 1) : ''
  writeFileSync(PATH, `${HEADER}${section.trimEnd()}\n\n${body}`)
  console.log(`written to ${PATH}`)
}

export const stamp = (): string => new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
