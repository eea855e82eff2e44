import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Rectification } from '../../../core/schemas/entities.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import type { RectificationInput } from './rectify.repo.ts'
import { loadOnce } from '../../composables/load-once.ts'

const writes = loadOnce(() => import('./rectify.repo.ts'))

/** 整改清单 on this phone: the branch's items (all branches' for administrators), open ones by due date. */
export const useRectifyStore = defineStore('rectify', () => {
  const session = useSessionStore()
  const items = useLiveQuery<Rectification[]>(
    async () =>
      ((await session.db?.rectifications.toArray()) ?? [])
        .filter((x) => !x.deleted)
        .sort(
          (a, b) => Number(!!a.closedAt) - Number(!!b.closedAt) || a.dueOn.localeCompare(b.dueOn) || a.createdAt.localeCompare(b.createdAt),
        ),
    [],
    [() => session.db],
  )
  const today = ref(chinaToday(new Date()))
  const overdue = (x: Rectification) => !x.closedAt && x.dueOn < today.value
  /** Who may close an item: its owner and whoever manages the branch. */
  const closes = (x: Rectification) => x.ownerId === session.user?.id || session.manages(x.branchId)
  /** 首页: my open items, and for a secretary the branch's overdue ones. */
  const forHome = computed(() =>
    items.value.filter((x) => !x.closedAt && (x.ownerId === session.user?.id || (session.manages(x.branchId) && overdue(x)))),
  )
  const need = () => {
    if (!session.db || !session.user) throw new Error('未登录')
    return { db: session.db, user: session.user }
  }
  return {
    items,
    today,
    overdue,
    closes,
    forHome,
    add: async (input: RectificationInput) => (await writes()).addRectification(need().db, need().user, input),
    close: async (id: string, note: string) => (await writes()).closeRectification(need().db, id, note, need().user.id),
    remove: async (id: string) => (await writes()).removeRectification(need().db, id),
  }
})
