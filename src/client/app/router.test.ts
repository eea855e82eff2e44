// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import type { RouteLocationNormalized } from 'vue-router'
import { createAppRouter, loadMoreRoutes } from './router.ts'
import { leavePage } from '../composables/leave-page.ts'
import { useSessionStore } from '../session/session.store.ts'
import { createPinia, setActivePinia } from 'pinia'

const at = (path: string): RouteLocationNormalized => {
  const router = createAppRouter()
  return router.resolve(path) as RouteLocationNormalized
}

describe('scroll position between pages', () => {
  const scroll = createAppRouter().options.scrollBehavior

  it('a new page opens at its top, not at the previous page’s position', async () => {
    expect(scroll).toBeTypeOf('function')
    expect(await scroll?.(at('/meetings/new'), at('/meetings'), null)).toEqual({ top: 0 })
  })

  it('going back returns to where the page was left', async () => {
    Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: 5000 })
    expect(await scroll?.(at('/meetings'), at('/meetings/new'), { left: 0, top: 1200 })).toEqual({ left: 0, top: 1200 })
  })

  it('back from a saved form (leavePage) returns to where the list was left, not to its top', async () => {
    Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: 5000 })
    window.history.replaceState(null, '', '/')
    setActivePinia(createPinia())
    const router = createAppRouter()
    await loadMoreRoutes(router)
    useSessionStore().$patch({ user: { id: 'u1', name: '甲', role: 'member', branchId: 'b1', orgId: 'o1' } as never })
    await router.replace('/visits')
    const settled = () => new Promise((resolve) => setTimeout(resolve, 20)) // the router scrolls after the page renders
    await settled()
    window.scrollTo(0, 900)
    await router.push('/visits/new')
    await settled()
    expect(window.scrollY).toBe(0)
    await leavePage(router, '/visits')
    expect(router.currentRoute.value.fullPath).toBe('/visits')
    await vi.waitFor(() => expect(window.scrollY).toBe(900))
    // Opening a page anew still starts at its top.
    expect(await scroll?.(at('/visits/new'), at('/visits'), null)).toEqual({ top: 0 })
  })

  it('changing only the query of the same page keeps the place', async () => {
    expect(await scroll?.(at('/study?kind=party_lesson'), at('/study'), null)).toBe(false)
  })
})

describe('the 备案 sheet’s list of functions', () => {
  it('names every page of the app, and no page that is not there (core/compliance/app-functions.ts)', async () => {
    const { APP_FUNCTIONS } = await import('../../core/compliance/app-functions.ts')
    const router = createAppRouter()
    await loadMoreRoutes(router)
    const pages = router
      .getRoutes()
      .map((r) => r.path)
      .filter((p) => !p.startsWith('/:'))
      .sort()
    const listed = APP_FUNCTIONS.flatMap((f) => f.paths).sort()
    expect(listed).toEqual(pages)
  })
})

describe('the route table beside the first paint', () => {
  it('the first screens need nothing more; any other page loads the rest once, then opens; an unknown path goes to 首页', async () => {
    const { useSessionStore } = await import('../session/session.store.ts')
    const { createPinia, setActivePinia } = await import('pinia')
    setActivePinia(createPinia())
    const session = useSessionStore()
    session.user = {
      id: 'u',
      orgId: 'o',
      orgName: '机关党委',
      branchId: 'b',
      branchName: '一支部',
      name: '张三',
      phone: '13800000001',
      role: 'member',
    }
    const router = createAppRouter()
    expect(router.getRoutes().some((r) => r.path === '/meetings')).toBe(false)
    await router.push('/meetings/record')
    expect(router.currentRoute.value.matched.at(-1)?.path).toBe('/meetings/record')
    expect(router.getRoutes().some((r) => r.path === '/meetings')).toBe(true)
    await router.push('/no/such/page')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })
})

describe("the year's review behind one route", () => {
  it('opens the member’s page, the committee’s page and a cycle’s ballot', async () => {
    const router = createAppRouter()
    await loadMoreRoutes(router)
    for (const path of ['/review', '/review/manage', '/review/0193d3f0-0000-7000-8000-000000000000/ballot'])
      expect(router.resolve(path).matched[0]?.path, path).toBe('/review/:sub(.*)*')
    expect(router.resolve('/review/0193d3f0-0000-7000-8000-000000000000/ballot').params.sub).toEqual([
      '0193d3f0-0000-7000-8000-000000000000',
      'ballot',
    ])
  })
})
