import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { ReviewCycle, ReviewGrade, ReviewPaper } from '../../../core/schemas/review.ts'
import type { Attendance, Meeting } from '../../../core/schemas/entities.ts'
import type { BallotState, GradeCounts, PaperKind, ReviewGrade as Grade } from '../../../core/domain/review.ts'
import type { SealedBallot } from '../../db/account-db.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import { useLiveQuery } from '../../db/live.ts'
import { reviewApi } from './review-api.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { usePeopleStore } from '../people/people.store.ts'
import { newId } from '../../../core/ids.ts'
import * as repo from './review.repo.ts'
import * as sender from './ballot-sender.ts'
import { errorText } from '../../composables/error-text.ts'

/** The year's review on this phone: cycles, the member's paper, grades, sealed ballots; and the committee's calls. */
export const useReviewStore = defineStore('review', () => {
  const session = useSessionStore()
  const people = usePeopleStore()
  const me = () => session.user?.id ?? ''
  const cycles = useLiveQuery<ReviewCycle[]>(
    async () => (await session.db?.review_cycles.orderBy('year').reverse().toArray()) ?? [],
    [],
    [() => session.db],
  )
  const papers = useLiveQuery<ReviewPaper[]>(async () => (await session.db?.review_papers.toArray()) ?? [], [], [() => session.db])
  const grades = useLiveQuery<ReviewGrade[]>(async () => (await session.db?.review_grades.toArray()) ?? [], [], [() => session.db])
  const ballots = useLiveQuery<SealedBallot[]>(async () => (await session.db?.review_ballots.toArray()) ?? [], [], [() => session.db])
  const meetings = useLiveQuery<Meeting[]>(
    async () => ((await session.db?.meetings.toArray()) ?? []).filter((m) => !m.deleted && m.type === 'appraisal'),
    [],
    [() => session.db],
  )
  const myAttendance = useLiveQuery<Attendance[]>(
    async () => (await session.db?.attendance.where('memberId').equals(me()).toArray()) ?? [],
    [],
    [() => session.db],
  )

  /** This year's (or the latest) cycle of the person's branch. */
  const current = computed(() => cycles.value.find((c) => c.branchId === session.user?.branchId) ?? null)
  /** On the branch committee: its secretary, or marked 支部委员 on their own row. */
  const onCommittee = computed(() => {
    const u = session.user
    if (!u?.branchId) return false
    if (u.role === 'secretary') return true
    return people.people.some((p) => p.id === u.id && p.committee === true)
  })
  const isSecretary = computed(() => session.user?.role === 'secretary')
  const myPaper = (cycleId: string) => papers.value.find((p) => p.cycleId === cycleId && p.authorId === me()) ?? null
  const myGrade = (cycleId: string) => grades.value.find((g) => g.cycleId === cycleId && g.memberId === me()) ?? null
  const ballotOf = (cycleId: string) => ballots.value.find((b) => b.cycleId === cycleId) ?? null
  /** Signed in (present) at the cycle's 民主评议 meeting, on this phone's record. */
  const signedIn = (c: ReviewCycle) =>
    !!c.meetingId && myAttendance.value.some((a) => a.id === attendanceId(c.meetingId ?? '', me()) && a.status === 'present')
  /** The branch's people on this phone (those assessed before the ballot fixes the list), by id. */
  const branchPeople = (branchId: string) =>
    people
      .inBranch(branchId)
      .filter((p) => p.role !== 'admin')
      .map((p) => p.id)
      .sort()
  const name = (id: string) => people.people.find((p) => p.id === id)?.name ?? '（已不在本支部）'

  const db = () => {
    if (!session.db || !session.user) throw new Error('not signed in')
    return { db: session.db, user: session.user }
  }
  return {
    cycles,
    papers,
    grades,
    meetings,
    current,
    onCommittee,
    isSecretary,
    myPaper,
    myGrade,
    ballotOf,
    signedIn,
    name,
    branchPeople,
    open: (branchId: string, input: repo.CycleInput) => repo.openCycle(db().db, db().user, branchId, input),
    update: (c: ReviewCycle, patch: Partial<repo.CycleInput>) => repo.updateCycle(db().db, c, patch),
    setBallot: (c: ReviewCycle, state: BallotState) => repo.setBallot(db().db, c, state),
    savePaper: (c: ReviewCycle, kind: PaperKind, text: string, handIn = false) => repo.savePaper(db().db, db().user, c, kind, text, handIn),
    saveGrade: (c: ReviewCycle, memberId: string, grade: Grade | null, feedback: string) =>
      repo.saveGrade(db().db, db().user, c, memberId, grade, feedback),
    cast: (cycleId: string, g: Record<string, Grade>) => sender.castBallot(db().db, reviewApi, cycleId, g),
    sendWaiting: () => (session.db ? sender.sendBallots(session.db, reviewApi) : Promise.resolve(true)),
    checkVoted: (cycleId: string) => (session.db ? sender.checkVoted(session.db, reviewApi, cycleId) : Promise.resolve()),
    /** What the person reads for a failed request (the server's reason, or no connection). */
    errorText: (err: unknown) => errorText(err),
    turnout: (cycleId: string) => reviewApi.turnout(cycleId),
    tally: (cycleId: string) => reviewApi.tally(cycleId),
    addPaperTally: (cycleId: string, ballots: number, counts: Record<string, GradeCounts>) =>
      reviewApi.addPaperTally(cycleId, { id: newId(), ballots, counts }),
  }
})
