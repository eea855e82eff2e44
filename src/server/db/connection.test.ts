import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from './connection.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('SQLite keeps compiled statements', () => {
  it('compiles a statement once for many runs, and a kept one still sees a changed table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suixing-conn-'))
    dirs.push(dir)
    const prepare = vi.spyOn(SQLite.prototype, 'prepare')
    const handle = await openDatabase({ dataDir: dir })
    try {
      await sql`create table kept_t (a integer)`.execute(handle.db)
      prepare.mockClear()
      for (let i = 0; i < 5; i++)
        await handle.db
          .insertInto('kept_t' as never)
          .values({ a: i } as never)
          .execute()
      expect(prepare).toHaveBeenCalledTimes(1)
      const all = () => sql<Record<string, unknown>>`select * from kept_t order by a`.execute(handle.db)
      expect((await all()).rows).toHaveLength(5)
      await sql`alter table kept_t add column b text default 'x'`.execute(handle.db)
      expect((await all()).rows[0]).toEqual({ a: 0, b: 'x' })
    } finally {
      prepare.mockRestore()
      await handle.close()
    }
  })
})
