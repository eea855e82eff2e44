import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { defineComponent, h, type Component } from 'vue'
import { AccountDb } from '../db/account-db.ts'
import { newId } from '../../core/ids.ts'
import type { SessionUser } from '../../core/schemas/auth.ts'
import { useSessionStore } from '../session/session.store.ts'

/**
 * Component tests of pages (happy-dom): a signed-in person with their own IndexedDB
 * (fake-indexeddb), Pinia and a memory router. Sync is stubbed by the test (vi.mock of the engine
 * and the scheduler), so nothing leaves the process.
 */
export interface PageHarness {
  db: AccountDb
  user: SessionUser
  pinia: Pinia
  router: Router
}

export function signedInHarness(user: Partial<SessionUser> = {}): PageHarness {
  const pinia = createPinia()
  setActivePinia(pinia)
  const id = user.id ?? newId()
  const full: SessionUser = {
    id,
    orgId: newId(),
    orgName: '机关党委',
    branchId: newId(),
    branchName: '第一党支部',
    name: '王书记',
    phone: '13800000003',
    role: 'secretary',
    ...user,
  }
  const db = new AccountDb(`page-${newId()}`)
  const session = useSessionStore()
  session.db = db
  session.user = full
  const blank = defineComponent({ render: () => h('div') })
  // The app's parameterised paths (pages read route.params.id); anything else lands on the blank page.
  const paths = [
    '/meetings/new',
    '/meetings/:id/code',
    '/meetings/:id/edit',
    '/meetings/:id',
    '/admin/people/:id',
    '/visits/:id',
    '/review/:sub(.*)*',
    '/:rest(.*)*',
  ]
  const router = createRouter({ history: createMemoryHistory(), routes: paths.map((path) => ({ path, component: blank })) })
  return { db, user: full, pinia, router }
}

/** Mount a page at `path` and wait for its live queries to settle. */
export async function mountPage(harness: PageHarness, page: Component, path = '/'): Promise<VueWrapper> {
  await harness.router.push(path)
  await harness.router.isReady()
  const wrapper = mount(page, { global: { plugins: [harness.pinia, harness.router] }, attachTo: document.body })
  await settle()
  return wrapper
}

/** Let Dexie's live queries and Vue's updates run (they resolve over several ticks). */
/** Settles until `check` holds (live queries answer later on a loaded machine), at most `ms`; then one last settle. */
export async function settleUntil(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms
  while (!check() && Date.now() < until) await settle(1)
  await settle(1)
}

export async function settle(times = 8): Promise<void> {
  for (let i = 0; i < times; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 5))
  }
}
