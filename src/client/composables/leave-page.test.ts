// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { createRouter, createWebHistory } from 'vue-router'
import { defineComponent, h } from 'vue'
import { leavePage, takeReturn } from './leave-page.ts'

const blank = defineComponent({ render: () => h('div') })
const routerAt = async (...paths: string[]) => {
  window.history.replaceState(null, '', '/')
  const router = createRouter({ history: createWebHistory(), routes: [{ path: '/:rest(.*)*', component: blank }] })
  await router.replace(paths[0] ?? '/')
  for (const p of paths.slice(1)) await router.push(p)
  await router.isReady()
  return router
}

describe('leavePage', () => {
  it('opened directly (no previous in-app page): replaces with the fallback instead of leaving the app', async () => {
    const router = await routerAt('/study/new')
    const back = vi.spyOn(router, 'back')
    await leavePage(router, '/study')
    expect(back).not.toHaveBeenCalled()
    expect(router.currentRoute.value.fullPath).toBe('/study')
    expect(takeReturn('/study')).toBe(false)
  })

  it('opened from another page of the app: shows that page at once, then steps the browser back without navigating again', async () => {
    const router = await routerAt('/study?kind=party_lesson', '/study/new')
    const back = vi.spyOn(router, 'back')
    const go = vi.spyOn(router.options.history, 'go')
    const navigations = vi.fn()
    router.afterEach(navigations)
    await leavePage(router, '/study')
    // On screen when leavePage resolves: no waiting for the browser's popstate.
    expect(router.currentRoute.value.fullPath).toBe('/study?kind=party_lesson')
    expect(back).not.toHaveBeenCalled()
    // The form's history entry is left behind: one step back, the router told not to navigate for it.
    expect(go).toHaveBeenCalledWith(-1, false)
    expect(navigations).toHaveBeenCalledOnce()
    // The page it returned to is a return (its scroll place comes back), asked once.
    expect(takeReturn('/study?kind=party_lesson')).toBe(true)
    expect(takeReturn('/study?kind=party_lesson')).toBe(false)
  })

  it('a return the router refused (a guard) is not taken for one', async () => {
    const router = await routerAt('/study', '/study/new')
    router.beforeEach((to) => to.path !== '/study')
    const go = vi.spyOn(router.options.history, 'go')
    await leavePage(router, '/study')
    expect(router.currentRoute.value.fullPath).toBe('/study/new')
    expect(go).not.toHaveBeenCalled()
    expect(takeReturn('/study')).toBe(false)
  })
})
