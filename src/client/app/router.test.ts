// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import type { RouteLocationNormalized } from 'vue-router'
import { createAppRouter } from './router.ts'

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

  it('changing only the query of the same page keeps the place', async () => {
    expect(await scroll?.(at('/study?kind=party_lesson'), at('/study'), null)).toBe(false)
  })
})

describe('the 备案 sheet’s list of functions', () => {
  it('names every page of the app, and no page that is not there (core/compliance/app-functions.ts)', async () => {
    const { APP_FUNCTIONS } = await import('../../core/compliance/app-functions.ts')
    const pages = createAppRouter()
      .getRoutes()
      .map((r) => r.path)
      .filter((p) => !p.startsWith('/:'))
      .sort()
    const listed = APP_FUNCTIONS.flatMap((f) => f.paths).sort()
    expect(listed).toEqual(pages)
  })
})
