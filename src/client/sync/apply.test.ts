import { afterEach, describe, expect, it, vi } from 'vitest'
import { AccountDb } from '../db/account-db.ts'
import { newId } from '../../core/ids.ts'
import type { Change } from '../../core/sync/protocol.ts'
import { applyPage, rebase } from './apply.ts'

const EPOCH = '0196f0e2-7a4b-7c3d-8e9f-0a1b2c3d4e5f'
const branch = (id = newId()): Change => ({
  table: 'branches',
  rowId: id,
  seq: 1,
  deleted: false,
  row: { id, orgId: newId(), name: '第一党支部', archived: false },
})
/** A change of a table a newer server has and this app does not (docs/sync.md, "Versions"). */
const unknown = (): Change => ({
  table: 'future_things' as Change['table'],
  rowId: newId(),
  seq: 2,
  deleted: false,
  row: { id: newId(), what: 'x' },
})

/** An app from before `followups` existed: its database has no such store. */
class WithoutFollowups extends AccountDb {
  constructor(name: string) {
    super(name)
    this.version(7).stores({ followups: null })
  }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('applying a pulled page', () => {
  it('skips a change of a table the app does not know, applies the rest and moves the cursor', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const db = new AccountDb(`unit-${newId()}`)
    const b = branch()
    const gone = unknown()
    await expect(applyPage(db, [gone, b, { ...unknown(), deleted: true, row: null }], `${EPOCH}:3`, false)).resolves.toBe(2)
    expect(await db.branches.get(b.rowId)).toMatchObject({ name: '第一党支部' })
    expect((await db.meta.get('cursor'))?.value).toBe(`${EPOCH}:3`)
    expect(warn).toHaveBeenCalledOnce()
  })

  it('a database without one of the synced stores applies the others, resets included', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const db = new WithoutFollowups(`unit-${newId()}`)
    const id = newId()
    const followup: Change = { table: 'followups', rowId: id, seq: 5, deleted: false, row: { id, text: '修路灯' } }
    const b = branch()
    await expect(applyPage(db, [followup, b], `${EPOCH}:5`, true)).resolves.toBe(1)
    expect(await db.branches.count()).toBe(1)
    expect((await db.meta.get('cursor'))?.value).toBe(`${EPOCH}:5`)
  })

  it('keeps fields the app does not know (harmless in IndexedDB; the server leaves out what an older app does not know)', async () => {
    const db = new AccountDb(`unit-${newId()}`)
    const b = branch()
    await applyPage(db, [{ ...b, row: { ...b.row, motto: '不忘初心' } }], `${EPOCH}:1`, false)
    expect(await db.branches.get(b.rowId)).toMatchObject({ name: '第一党支部', motto: '不忘初心' })
  })
})

describe('a row with pending changes laid on top (rebase)', () => {
  it("shows the pending fields a pulled row has, never a mutation's write-only ones (a sign-in's scanned code, a confirmation)", () => {
    const row = { id: 'a', meetingId: 'm', memberId: 'u', status: 'absent', method: 'manual', signedAt: null }
    const scan = { window: 1, token: 't', scannedAt: '2026-11-30T08:00:00.000Z' }
    const out = rebase(row, [
      {
        id: newId(),
        table: 'attendance',
        op: 'upsert',
        rowId: 'a',
        fields: { meetingId: 'm', memberId: 'u', scan, status: 'present', method: 'scan', signedAt: scan.scannedAt },
        clientTime: scan.scannedAt,
        v: 1,
      },
    ])
    expect(out).toEqual({ ...row, status: 'present', method: 'scan', signedAt: scan.scannedAt })
    const training = rebase({ id: 'b', confirmedAt: null }, [
      { id: newId(), table: 'outside_trainings', op: 'upsert', rowId: 'b', fields: { confirmed: true }, clientTime: '', v: 1 },
    ])
    expect(training).toEqual({ id: 'b', confirmedAt: null })
  })
})
