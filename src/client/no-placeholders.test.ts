import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Words that tell the user a feature is not there yet ("上线后…", "敬请期待"): every feature named is live. */
const NOT_LIVE =
  /上线后|即将上线|即将推出|即将开放|敬请期待|暂未开放|尚未开放|暂未上线|尚未上线|功能开发中|正在开发|后续版本|coming soon|not (yet )?available/i

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return /\.(vue|ts|css|html)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : []
  })
}

describe('no placeholder text', () => {
  it('no page or component says a feature is not live yet', () => {
    const root = join(import.meta.dirname, '..', '..')
    const files = [...sources(join(root, 'src', 'client')), join(root, 'index.html')]
    expect(files.length).toBeGreaterThan(50)
    const found = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (NOT_LIVE.test(line) ? [`${relative(root, f)}:${i + 1}: ${line.trim()}`] : [])),
    )
    expect(found).toEqual([])
  })

  it('pages speak plainly of what happens to a change (no "未被服务器接受", no "联网后送达")', () => {
    const root = join(import.meta.dirname, '..', '..')
    const found = sources(join(root, 'src', 'client'))
      .filter((f) => f.endsWith('.vue'))
      .flatMap((f) => (/未被服务器接受|联网后送达/.test(readFileSync(f, 'utf8')) ? [relative(root, f)] : []))
    expect(found).toEqual([])
  })
})
