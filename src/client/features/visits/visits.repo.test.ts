import { afterEach, describe, expect, it } from 'vitest'
import { AccountDb } from '../../db/account-db.ts'
import { newId } from '../../../core/ids.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { addMeetingPhotos, createMeeting } from '../meetings/meetings.repo.ts'
import { recordVisit, type VisitDraft } from './visits.repo.ts'

const user: SessionUser = {
  id: newId(),
  orgId: newId(),
  orgName: '机关党委',
  branchId: newId(),
  branchName: '第一党支部',
  name: '王书记',
  phone: '13800000003',
  role: 'secretary',
}
const photo = () => ({ blob: new Blob([new Uint8Array(4)], { type: 'image/jpeg' }), width: 1, height: 1 })
const draft = (): VisitDraft => ({
  householdId: null,
  place: '社区服务中心',
  visitedAt: '2026-03-02T02:00:00.000Z',
  memberIds: [],
  findings: '取暖设施老化',
  problems: '',
  location: null,
  photos: [photo(), photo()],
  followups: [{ text: '联系社区协调检修', ownerId: user.id, dueOn: '2026-03-20' }],
})

let db: AccountDb
afterEach(() => db.delete())

describe('one user action commits once', () => {
  it('a visit with its photos and follow-ups is stored whole', async () => {
    db = new AccountDb(`visit-${newId()}`)
    const id = await recordVisit(db, user, draft())
    expect(await db.visits.get(id)).toMatchObject({ place: '社区服务中心' })
    expect(await db.followups.where('visitId').equals(id).count()).toBe(1)
    expect(await db.photo_blobs.where('ownerId').equals(id).count()).toBe(2)
    expect((await db.outbox.toArray()).map((m) => m.table).sort()).toEqual(['followups', 'visits'])
  })

  it('a visit whose follow-up cannot be written is not stored either: no visit, no photos, nothing queued', async () => {
    db = new AccountDb(`visit-${newId()}`)
    db.followups.hook('creating', () => {
      throw new Error('disk fault')
    })
    await expect(recordVisit(db, user, draft())).rejects.toThrow('disk fault')
    expect(await db.visits.count()).toBe(0)
    expect(await db.followups.count()).toBe(0)
    expect(await db.photo_blobs.count()).toBe(0)
    expect(await db.outbox.count()).toBe(0)
  })

  it("a meeting's new photos are not kept when the meeting cannot be written", async () => {
    db = new AccountDb(`meeting-${newId()}`)
    const { id: meetingId } = await createMeeting(db, user, {
      branchId: user.branchId,
      type: 'branch_general',
      topic: '党员大会',
      startsAt: '2026-03-05T06:00:00.000Z',
      durationMinutes: 90,
      place: '三楼会议室',
      organiserId: user.id,
      speaker: '',
      expectedIds: [user.id],
      agenda: '',
      minutes: '',
      talkWithId: null,
      talkKind: null,
    })
    const queued = await db.outbox.count()
    db.meetings.hook('updating', () => {
      throw new Error('disk fault')
    })
    await expect(addMeetingPhotos(db, meetingId, [photo()])).rejects.toThrow('disk fault')
    expect(await db.photo_blobs.count()).toBe(0)
    expect(await db.outbox.count()).toBe(queued)
    expect((await db.meetings.get(meetingId))?.photoIds).toEqual([])
  })
})
