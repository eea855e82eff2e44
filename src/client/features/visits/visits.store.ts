import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Followup, Household, Visit } from '../../../core/schemas/entities.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import type { HouseholdInput, VisitDraft } from './visits.repo.ts'
import { loadOnce } from '../../composables/load-once.ts'

const writes = loadOnce(() => import('./visits.repo.ts'))

/** Households, visits and follow-ups on this phone (their photos: photos/photos.store.ts). */
export const useVisitsStore = defineStore('visits', () => {
  const session = useSessionStore()
  const households = useLiveQuery<Household[]>(
    async () =>
      ((await session.db?.households.toArray()) ?? []).filter((h) => !h.deleted).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
    [],
    [() => session.db],
  )
  const visits = useLiveQuery<Visit[]>(
    async () => ((await session.db?.visits.orderBy('visitedAt').reverse().toArray()) ?? []).filter((x) => !x.deleted),
    [],
    [() => session.db],
  )
  const followups = useLiveQuery<Followup[]>(
    async () => ((await session.db?.followups.toArray()) ?? []).filter((f) => !f.deleted),
    [],
    [() => session.db],
  )
  const today = ref(chinaToday(new Date()))
  const isManager = computed(() => session.isManager)

  const householdById = computed(() => new Map(households.value.map((h) => [h.id, h])))
  const myHouseholds = computed(() => households.value.filter((h) => h.memberIds.includes(session.user?.id ?? '')))
  const openFollowups = computed(() => followups.value.filter((f) => !f.closedAt).sort((a, b) => a.dueOn.localeCompare(b.dueOn)))
  const myOpenFollowups = computed(() => openFollowups.value.filter((f) => f.ownerId === session.user?.id))
  const overdue = (f: Followup) => !f.closedAt && f.dueOn < today.value
  const visitsOf = (householdId: string) => visits.value.filter((x) => x.householdId === householdId)

  const need = () => {
    if (!session.db || !session.user) throw new Error('未登录')
    return { db: session.db, user: session.user }
  }

  return {
    households,
    visits,
    followups,
    today,
    isManager,
    householdById,
    myHouseholds,
    openFollowups,
    myOpenFollowups,
    overdue,
    visitsOf,
    saveHousehold: async (id: string | null, input: HouseholdInput) => (await writes()).saveHousehold(need().db, need().user, id, input),
    record: async (draft: VisitDraft) => (await writes()).recordVisit(need().db, need().user, draft),
    close: async (id: string, note: string) => (await writes()).closeFollowup(need().db, id, note),
  }
})
