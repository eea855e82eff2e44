// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { Onboarding } from '../../../core/schemas/people.ts'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

const server = vi.hoisted(() => ({ state: { branches: 0, people: 0, notActivated: 0, withoutCode: 0 } as Onboarding }))
vi.mock('../../api/admin-client.ts', () => ({ adminApi: { onboarding: () => Promise.resolve(server.state) } }))
const { default: HomeAdminGuide } = await import('./HomeAdminGuide.vue')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  h = signedInHarness({ role: 'admin', branchId: null })
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})
const steps = () =>
  page?.findAll('[data-testid="guide-step"]').map((s) => [s.text().split('.')[1]?.trim().slice(0, 5), s.attributes('data-done')]) ?? []

describe('a new administrator’s next steps on 首页', () => {
  it('新增党支部 → 导入花名册 → 发放激活码, each one tap away, until done', async () => {
    page = await mountPage(h, HomeAdminGuide)
    expect(steps()).toEqual([
      ['新增党支部', 'false'],
      ['导入花名册', 'false'],
      ['发放激活码', 'false'],
    ])
    expect(page.findAll('a').map((a) => a.attributes('href'))).toEqual(['/admin', '/admin/import', '/admin'])
    page.unmount()

    server.state = { branches: 3, people: 30, notActivated: 30, withoutCode: 30 }
    page = await mountPage(h, HomeAdminGuide)
    expect(steps()).toEqual([
      ['新增党支部', 'true'],
      ['导入花名册', 'true'],
      ['发放激活码', 'false'],
    ])
    page.unmount()

    server.state = { branches: 3, people: 30, notActivated: 12, withoutCode: 0 }
    page = await mountPage(h, HomeAdminGuide)
    expect(page.find('[data-testid="admin-guide"]').exists()).toBe(false)
  })
})
