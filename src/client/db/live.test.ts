import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { effectScope, type EffectScope } from 'vue'
import { AccountDb } from './account-db.ts'
import { holdLiveQueries, useLiveQuery } from './live.ts'
import { newId } from '../../core/ids.ts'

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
