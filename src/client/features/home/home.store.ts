import { defineStore } from 'pinia'
import { computed } from 'vue'
import { useSessionStore } from '../../session/session.store.ts'
import { useLiveQuery, useLiveRead } from '../../db/live.ts'
import { followStudyRecords, monthSummary } from '../study/study.queries.ts'
import { monthOf, summarize } from '../study/study-summary.ts'
import { pendingCounts } from '../meetings/pending.ts'

/** What the home screen shows of the member's own records: this month's study, privately. */
export const useHomeStore = defineStore('home', () => {
  const session = useSessionStore()
  const month = monthOf(new Date())
  // Read after each change to study records, not followed row by row (a month a first pull filled keeps no keys).
  const studyThisMonth = useLiveRead(
    () => session.db && followStudyRecords(session.db),
    () => (session.db && session.user ? monthSummary(session.db, session.user.id, month) : summarize([])),
    summarize([]),
    [() => session.db],
  )
  /**
   * Whether the meeting and follow-up cards have anything to show: their code is loaded only
   * then (a secretary always sees what the branch owes, so the meeting card always loads for them).
   */
  const meetingCount = useLiveQuery(() => session.db?.meetings.count() ?? 0, 0, [() => session.db])
  const followupCount = useLiveQuery(() => session.db?.followups.count() ?? 0, 0, [() => session.db])
  const rectifyCount = useLiveQuery(() => session.db?.rectifications.count() ?? 0, 0, [() => session.db])
  const showMeetings = computed(() => session.isManager || meetingCount.value > 0)
  /** Leave requests to approve and 补学 to confirm in the meetings this person manages. */
  const approvals = useLiveQuery(
    () => (session.db && session.user && session.isManager ? pendingCounts(session.db, session.user) : { leave: 0, makeups: 0 }),
    { leave: 0, makeups: 0 },
    [() => session.db, () => session.user?.role],
  )
  const showFollowups = computed(() => followupCount.value > 0)
  const showRectify = computed(() => rectifyCount.value > 0)
  return { month, studyThisMonth, showMeetings, showFollowups, showRectify, approvals }
})
