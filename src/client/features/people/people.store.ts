import { defineStore } from 'pinia'
import { computed } from 'vue'
import { sortOrgUnits } from '../../../core/domain/order.ts'
import type { Branch, UserProfile } from '../../../core/schemas/entities.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { activePeople } from './people.repo.ts'

/**
 * The people of the branch or organisation on this phone (those still in it, by name) and its
 * branches: every page that lists, picks or names people reads them here.
 */
export const usePeopleStore = defineStore('people', () => {
  const session = useSessionStore()
  const people = useLiveQuery<UserProfile[]>(async () => (session.db ? activePeople(session.db) : []), [], [() => session.db])
  /** The organisation's branches on this phone (those dissolved too), in their order. */
  const branches = useLiveQuery<Branch[]>(async () => sortOrgUnits((await session.db?.branches.toArray()) ?? []), [], [() => session.db])
  const nameOf = computed(() => new Map(people.value.map((p) => [p.id, p.name])))
  /** The people of one branch, by name. */
  const inBranch = (branchId: string | null) => people.value.filter((p) => p.branchId === branchId)
  return { people, branches, nameOf, inBranch }
})
