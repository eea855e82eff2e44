import { describe, expect, it } from 'vitest'
import Dexie from 'dexie'
import { newId } from '../../core/ids.ts'
import { AccountDb } from './account-db.ts'

/** The account database's layout as version 6 left it (photos keyed by `visitId`). */
const VERSION_6 = {
  study_records: 'id, [ownerId+date], date',
  users: 'id, branchId',
  branches: 'id',
  outbox: '++seq, &id, [table+rowId]',
  rejected: 'id, at',
  meta: 'key',
  oath_renewals: 'id, ownerId, date',
  reminder_settings: 'id',
  meetings: 'id, startsAt, branchId',
  attendance: 'id, meetingId, memberId',
  makeups: 'id, meetingId, memberId',
  households: 'id, branchId',
  visits: 'id, visitedAt, householdId',
  followups: 'id, ownerId, visitId, householdId',
  photo_blobs: 'id, visitId, state',
  scan_proofs: 'id',
}

describe('the account database', () => {
  it('upgrading from version 6 keeps every stored photo, its owner now in ownerId (and ownerKind)', async () => {
    const name = `upgrade-${newId()}`
    const visitId = newId()
    const meetingId = newId()
    const old = new Dexie(name)
    old.version(6).stores(VERSION_6)
    const photo = { blob: new Blob([new Uint8Array(3)]), mime: 'image/jpeg', width: 1, height: 1, size: 3, createdAt: '' }
    await old.table('photo_blobs').bulkAdd([
      { id: 'p-visit', visitId, state: 'pending', ...photo },
      { id: 'p-meeting', visitId: meetingId, owner: 'meetings', state: 'uploaded', ...photo },
    ])
    old.close()

    const db = new AccountDb(name)
    const visitPhoto = await db.photo_blobs.get('p-visit')
    expect(visitPhoto).toMatchObject({ ownerId: visitId, ownerKind: 'visits', state: 'pending', size: 3 })
    expect(visitPhoto).not.toHaveProperty('visitId')
    expect(await db.photo_blobs.get('p-meeting')).toMatchObject({ ownerId: meetingId, ownerKind: 'meetings', state: 'uploaded' })
    expect(await db.photo_blobs.where('ownerId').equals(meetingId).primaryKeys()).toEqual(['p-meeting'])
    expect(await db.photo_blobs.where('state').equals('pending').primaryKeys()).toEqual(['p-visit'])
    await db.delete()
  })
})
