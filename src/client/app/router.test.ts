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

describe("the year's review behind one route", () => {
  it('opens the member’s page, the committee’s page and a cycle’s ballot', () => {
    for (const path of ['/review', '/review/manage', '/review/0193d3f0-0000-7000-8000-000000000000/ballot'])
      expect(at(path).matched[0]?.path, path).toBe('/review/:sub(.*)*')
    expect(at('/review/0193d3f0-0000-7000-8000-000000000000/ballot').params.sub).toEqual(['0193d3f0-0000-7000-8000-000000000000', 'ballot'])
  })
})
