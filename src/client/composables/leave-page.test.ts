// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { createRouter, createWebHistory } from 'vue-router'
import { defineComponent, h } from 'vue'
import { leavePage } from './leave-page.ts'

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
  })

  it('opened from another page of the app: goes back to it', async () => {
    const router = await routerAt('/study', '/study/new')
    const back = vi.spyOn(router, 'back').mockImplementation(() => undefined)
    await leavePage(router, '/study')
    expect(back).toHaveBeenCalledOnce()
  })
})
