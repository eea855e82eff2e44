import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { effectScope, type EffectScope } from 'vue'
import { AccountDb } from './account-db.ts'
import { holdLiveQueries, useLiveQuery, useLiveRead } from './live.ts'
import { liveQueriesAnswered } from './live-answered.ts'
import { newId } from '../../core/ids.ts'
import type { StudyRecord } from '../../core/schemas/entities.ts'

let scope: EffectScope
beforeEach(() => (scope = effectScope()))
afterEach(() => scope.stop())

const until = async (check: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}
const settle = () => new Promise((r) => setTimeout(r, 100))

function liveCount(db: AccountDb) {
  let reads = 0
  const count = scope.run(() =>
    useLiveQuery(() => {
      reads++
      return db.meta.count()
    }, -1),
  )
  if (!count) throw new Error('no scope')
  return { count, reads: () => reads }
}

describe('live queries held during a long pull', () => {
  it('are not read again per write while held, and once when released', async () => {
    const db = new AccountDb(`unit-${newId()}`)
    const { count, reads } = liveCount(db)
    await until(() => count.value === 0)
    await db.meta.put({ key: 'a', value: 1 })
    await until(() => count.value === 1)

    const release = holdLiveQueries()
    const before = reads()
    for (let i = 0; i < 20; i++) await db.meta.put({ key: `page-${i}`, value: i })
    await settle()
    expect(reads()).toBe(before) // without the hold: one read per write
    expect(count.value).toBe(1) // the last value stays on screen

    release()
    await until(() => count.value === 21)
    await settle()
    expect(reads()).toBe(before + 1)

    // Following changes again.
    await db.meta.put({ key: 'after', value: 0 })
    await until(() => count.value === 22)
  })

  it('read once when created during a hold, and follow changes after it', async () => {
    const db = new AccountDb(`unit-${newId()}`)
    const release = holdLiveQueries()
    const { count, reads } = liveCount(db)
    await until(() => count.value === 0) // read when created, hold or not
    const atStart = reads()
    await db.meta.put({ key: 'a', value: 1 })
    await settle()
    expect(reads()).toBe(atStart)
    expect(count.value).toBe(0)
    release()
    release() // twice is harmless
    await until(() => count.value === 1)
    await db.meta.put({ key: 'b', value: 1 })
    await until(() => count.value === 2)
  })
})

describe('a live read (many rows read outside the live query, after each change it follows)', () => {
  const owner = newId()
  const record = (date: string, minutes = 30): StudyRecord => ({
    id: newId(),
    ownerId: owner,
    branchId: null,
    orgId: newId(),
    kind: 'self_study',
    title: '学习',
    date,
    minutes,
    notes: '',
    sourceUrl: '',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    deleted: false,
  })
  /** The minutes of November through the [ownerId+date] index, the way the home screen sums a month. */
  function liveMinutes(db: AccountDb, onRead: () => Promise<void> | void = () => undefined) {
    let reads = 0
    const minutes = scope.run(() =>
      useLiveRead(
        () => db.study_records.limit(1).toArray(),
        async () => {
          reads++
          await onRead()
          let sum = 0
          await db.study_records
            .where('[ownerId+date]')
            .between([owner, '2026-11-01'], [owner, '2026-11-31'], true, true)
            .each((r) => (sum += r.minutes))
          return sum
        },
        -1,
      ),
    )
    if (!minutes) throw new Error('no scope')
    return { minutes, reads: () => reads }
  }

  it('reads again when a row is added, changed (same index key) or deleted, and not for another table', async () => {
    const db = new AccountDb(`unit-${newId()}`)
    const a = record('2026-11-03')
    await db.study_records.put(a)
    const { minutes, reads } = liveMinutes(db)
    await until(() => minutes.value === 30)
    await db.study_records.put(record('2026-11-04', 15))
    await until(() => minutes.value === 45)
    await db.study_records.update(a.id, { minutes: 60 })
    await until(() => minutes.value === 75)
    await db.study_records.delete(a.id)
    await until(() => minutes.value === 15)
    const before = reads()
    await db.meta.put({ key: 'other', value: 1 })
    await settle()
    expect(reads()).toBe(before)
  })

  it('reads outside the live query (whose observation then holds no key of the rows read)', async () => {
    const db = new AccountDb(`unit-${newId()}`)
    await db.study_records.put(record('2026-11-03'))
    // Dexie refuses a read-write transaction inside a live query: the read may open one.
    const { minutes } = liveMinutes(db, () =>
      db.transaction('rw', db.meta, () => db.meta.put({ key: 'seen', value: 1 })).then(() => undefined),
    )
    await until(() => minutes.value === 30)
    expect((await db.meta.get('seen'))?.value).toBe(1)
  })

  it('pauses during a hold like any live query, and reads once when released', async () => {
    const db = new AccountDb(`unit-${newId()}`)
    const { minutes, reads } = liveMinutes(db)
    await until(() => minutes.value === 0)
    const release = holdLiveQueries()
    const before = reads()
    for (let i = 0; i < 20; i++) await db.study_records.bulkPut([record('2026-11-05', 1), record('2026-10-05', 1)])
    await settle()
    expect(reads()).toBe(before)
    expect(minutes.value).toBe(0)
    release()
    await until(() => minutes.value === 20)
    await settle()
    expect(reads()).toBe(before + 1)
  })

  it('is answered (for the screen waiting for first answers) only once its read has its value', async () => {
    const db = new AccountDb(`unit-${newId()}`)
    await db.study_records.put(record('2026-11-03'))
    const { minutes } = liveMinutes(db, () => new Promise((r) => setTimeout(r, 150)))
    await liveQueriesAnswered(5000)
    expect(minutes.value).toBe(30)
  })
})
