import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ERROR_MESSAGES } from '../../src/core/errors.ts'

/**
 * docs/sync.md is the contract a second client is written from: every error code the server can
 * answer with is in its table, and the server answers with no code that is not in ERROR_MESSAGES.
 */
const ROOT = join(import.meta.dirname, '..', '..')
const doc = readFileSync(join(ROOT, 'docs', 'sync.md'), 'utf8')

/** The codes of the error table under "Transport and errors": rows starting with | `code` |. */
function tableCodes(): string[] {
  const section = doc.split(/^## /m).find((s) => s.startsWith('Transport and errors')) ?? ''
  return [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1] as string)
}

function serverFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return serverFiles(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : []
  })
}

describe('docs/sync.md', () => {
  it('lists every error code of src/core/errors.ts in its error table, and no other', () => {
    const codes = tableCodes()
    expect(codes.length).toBeGreaterThan(0)
    expect(
      codes.filter((c, i) => codes.indexOf(c) !== i),
      'codes listed twice',
    ).toEqual([])
    expect(
      Object.keys(ERROR_MESSAGES).filter((c) => !codes.includes(c)),
      'codes missing from the table',
    ).toEqual([])
    expect(
      codes.filter((c) => !(c in ERROR_MESSAGES)),
      'codes the server never sends',
    ).toEqual([])
  })

  it('every code has a Chinese message for the user', () => {
    for (const [code, message] of Object.entries(ERROR_MESSAGES)) expect(message, code).toMatch(/[\u4e00-\u9fff]/)
  })

  it('the server sends no error code outside ERROR_MESSAGES', () => {
    const literal = [/HttpError\(\s*[^,()]+,\s*'([^']+)'/g, /errorBody\(\s*'([^']+)'/g, /status: 'rejected', code: '([^']+)'/g]
    const found = new Set<string>()
    for (const file of serverFiles(join(ROOT, 'src', 'server'))) {
      const text = readFileSync(file, 'utf8')
      for (const re of literal) for (const m of text.matchAll(re)) found.add(`${m[1]} (${file.slice(ROOT.length + 1)})`)
    }
    expect(found.size).toBeGreaterThan(10)
    expect([...found].filter((f) => !((f.split(' ')[0] as string) in ERROR_MESSAGES))).toEqual([])
  })

  it('documents what a second client needs for meeting sign-in: the attendance namespace, key, token and link encodings', () => {
    const attendance = readFileSync(join(ROOT, 'src', 'core', 'attendance-id.ts'), 'utf8')
    const namespace = /ATTENDANCE_NAMESPACE = '([0-9a-f-]{36})'/.exec(attendance)?.[1]
    expect(namespace).toBeDefined()
    expect(doc).toContain(namespace)
    for (const needle of ['/s/<meetingId>/<window>/<token>', 'HMAC-SHA256', 'base64url', '"<meetingId>.<window>"', 'Accepted risks'])
      expect(doc).toContain(needle)
  })
})
