import { SyncEngine } from '../../../src/client/sync/engine.ts'
import { createMeeting, signInWithCode } from '../../../src/client/features/meetings/meetings.repo.ts'
import { openCycle, setBallot } from '../../../src/client/features/review/review.repo.ts'
import { reviewEndpoints, type ReviewApi } from '../../../src/client/features/review/review-api.ts'
import { createHttpClient, type FetchFn } from '../../../src/client/api/http.ts'
import { signInLink, signToken, windowOf } from '../../../src/core/domain/sign-in-token.ts'
import type { Meeting } from '../../../src/core/schemas/entities.ts'
import type { ReviewCycle } from '../../../src/core/schemas/review.ts'
import { device, type Device, type Org, type TestServer } from '../harness.ts'

/**
 * A branch at its 民主评议 meeting (tests of the year's review): the secretary's phone schedules
 * the meeting and opens the cycle; the members sign in by scanning its code (offline, synced later).
 */
export const syncOf = (d: Device) => new SyncEngine(d.db, d.api).sync()
export const reviewApiOf = (server: TestServer, d: Device, f: FetchFn = d.fetch): ReviewApi =>
  reviewEndpoints(createHttpClient(server.url, f))

export async function appraisalMeeting(server: TestServer, org: Org, secretary: Device, startsAt: number): Promise<Meeting> {
  const meeting = await createMeeting(secretary.db, secretary.user, {
    branchId: org.branchA,
    type: 'appraisal',
    topic: '2026年度民主评议党员',
    startsAt: new Date(startsAt).toISOString(),
    durationMinutes: 120,
    place: '三楼会议室',
    organiserId: org.secretaryA.id,
    speaker: '',
    expectedIds: [org.memberA.id, org.memberA2.id, org.secretaryA.id],
    agenda: '',
    minutes: '',
    talkWithId: null,
  })
  await syncOf(secretary)
  return meeting
}

/** The member's phone scans the code the organiser's phone showed at `at` (no signal needed). */
export async function scanIn(member: Device, meeting: Meeting, at: number): Promise<void> {
  const w = windowOf(at)
  const link = signInLink('https://example.org', meeting.id, w, await signToken(meeting.signKey ?? '', meeting.id, w))
  await signInWithCode(member.db, member.user, link, at + 1000)
}

export async function openReview(org: Org, secretary: Device, meeting: Meeting, year = 2026): Promise<ReviewCycle> {
  const cycle = await openCycle(secretary.db, secretary.user, org.branchA, {
    year,
    opensOn: `${year}-11-01`,
    lifeMeetingOn: `${year}-12-20`,
    assessmentOn: `${year}-12-20`,
    prompt: '围绕学习贯彻党的创新理论，征求对党支部和党员的意见建议',
    meetingId: meeting.id,
  })
  await syncOf(secretary)
  return cycle
}

/** The secretary's phone opens (or closes) the ballot and syncs; returns the cycle as the server now has it. */
export async function moveBallot(secretary: Device, cycle: ReviewCycle, to: 'open' | 'closed'): Promise<ReviewCycle> {
  const now = (await secretary.db.review_cycles.get(cycle.id)) ?? cycle
  await setBallot(secretary.db, now, to)
  await syncOf(secretary)
  const after = await secretary.db.review_cycles.get(cycle.id)
  if (!after || after.ballot !== to) throw new Error(`the ballot did not move to ${to}`)
  return after
}

export { device }
