import { defineStore } from 'pinia'
import { computed } from 'vue'
import { useSessionStore } from '../auth/session.store.ts'
import { useLiveQuery } from '../../db/live.ts'
import { monthRecords } from '../study/study.queries.ts'
import { monthOf, summarize } from '../study/study-summary.ts'

/** What the home screen shows of the member's own records: this month's study, privately. */
export const useHomeStore = defineStore('home', () => {
  const session = useSessionStore()
  const month = monthOf(new Date())
  const records = useLiveQuery(() => (session.db && session.user ? monthRecords(session.db, session.user.id, month) : []), [], [() => session.db])
  const studyThisMonth = computed(() => summarize(records.value))
  return { month, studyThisMonth }
})
