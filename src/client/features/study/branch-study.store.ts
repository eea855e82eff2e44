import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Branch, StudyRecord } from '../../../core/schemas/entities.ts'
import { sortOrgUnits } from '../../../core/domain/order.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { usePeopleStore } from '../people/people.store.ts'
import { monthOf } from './study-summary.ts'

/**
 * The branch's study of one month, as its secretary (or an administrator) reads it: who studied
 * what, by name, and who has recorded nothing yet. A ledger, never a ranking.
 */
export const useBranchStudyStore = defineStore('branch-study', () => {
  const session = useSessionStore()
  const month = ref(monthOf(new Date()))
  const branches = useLiveQuery<Branch[]>(
    async () => sortOrgUnits(((await session.db?.branches.toArray()) ?? []).filter((b) => !b.archived)),
    [],
    [() => session.db],
  )
  const chosen = ref<string | null>(null)
  /** A secretary's own branch; an administrator picks one (the first by default). */
  const branchId = computed(() => (session.isAdmin ? (chosen.value ?? branches.value[0]?.id ?? null) : (session.user?.branchId ?? null)))
  const people = usePeopleStore()
  const records = useLiveQuery<StudyRecord[]>(
    async () =>
      (
        (await session.db?.study_records.where('date').between(`${month.value}-01`, `${month.value}-31`, true, true).toArray()) ?? []
      ).filter((r) => !r.deleted),
    [],
    [month, () => session.db],
  )
  const members = computed(() => {
    const b = branchId.value
    const inBranch = records.value.filter((r) => r.branchId === b)
    return people.inBranch(b).map((p) => {
      const mine = inBranch.filter((r) => r.ownerId === p.id).sort((x, y) => x.date.localeCompare(y.date))
      return { person: p, records: mine, minutes: mine.reduce((t, r) => t + r.minutes, 0) }
    })
  })
  const nothingYet = computed(() => members.value.filter((m) => m.records.length === 0).map((m) => m.person.name))
  const choose = (id: string) => (chosen.value = id)
  return { month, branches, branchId, members, nothingYet, choose }
})
