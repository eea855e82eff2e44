import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Database } from './schema.ts'
import { hotQuery, markHot, MAX_HOT_STATEMENTS, statementName } from './hot-statements.ts'

const memoryDb = () => {
  const file = new SQLite(':memory:')
  file.exec("create table meta (key text primary key, value text not null); insert into meta values ('a', '1'), ('b', '2')")
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) })
}

describe('hot statements (named on PostgreSQL, built once)', () => {
  it('a hot query runs with each call’s own values, its text compiled once and named', async () => {
    const db = memoryDb()
    const byKey = hotQuery('test_meta', (d: Kysely<Database>, key: string) => d.selectFrom('meta').select('value').where('key', '=', key))
    expect(await byKey(db, 'a')).toEqual([{ value: '1' }])
    expect(await byKey(db, 'b')).toEqual([{ value: '2' }])
    expect(await byKey(db, 'c')).toEqual([])
    const text = db.selectFrom('meta').select('value').where('key', '=', 'x').compile().sql
    expect(statementName(text)).toMatch(/^sx_test_meta_[0-9a-f]{12}$/)
  })

  it('refuses a query whose parameters are not exactly its arguments (a constant would be sent as the wrong value)', async () => {
    const db = memoryDb()
    const wrong = hotQuery('test_wrong', (d: Kysely<Database>, key: string) =>
      d.selectFrom('meta').select('value').where('value', '=', '1').where('key', '=', key),
    )
    await expect(wrong(db, 'a')).rejects.toThrow(/parameters must be its arguments/)
  })

  it('one name per text, never one name for two texts; bounded, the rest unnamed', () => {
    markHot('same', 'select 1 as a')
    markHot('same', 'select 2 as a')
    const one = statementName('select 1 as a')
    const two = statementName('select 2 as a')
    expect(one).toBeDefined()
    expect(two).toBeDefined()
    expect(one).not.toBe(two)
    markHot('again', 'select 1 as a')
    expect(statementName('select 1 as a')).toBe(one)
    for (let i = 0; i < MAX_HOT_STATEMENTS + 10; i++) markHot('many', `select ${i + 100} as a`)
    expect(statementName(`select ${MAX_HOT_STATEMENTS + 105} as a`)).toBeUndefined()
    expect(statementName('never marked')).toBeUndefined()
  })
})
