// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { IssuedCode, OrgTree, Person } from '../../../core/schemas/people.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))

const server = vi.hoisted(() => ({ batches: 0 }))
const person = (id: string, name: string, activated: boolean): Person => ({
  id,
  name,
  phone: `1370000000${id}`,
  branchId: 'b1',
  groupId: null,
  role: 'member',
  status: 'full',
  joinedPartyOn: null,
  fullMemberOn: null,
  note: '',
  leadership: false,
  committee: false,
  activated,
})
const code = (p: Person): IssuedCode => ({
  userId: p.id,
  name: p.name,
  phone: p.phone,
  branchName: '机关第一党支部',
  code: 'ABCD2345',
  expiresAt: '2026-12-11T16:30:00.000Z',
})
vi.mock('../../api/admin-client.ts', () => {
  const people = [person('1', '何雪梅', false), person('2', '刘芳', true), person('3', '冯志远', false)]
  const tree: OrgTree = { orgName: '机关党委', branches: [{ id: 'b1', name: '机关第一党支部', archived: false, members: 3, groups: [] }] }
  return {
    adminApi: {
      orgTree: () => Promise.resolve(tree),
      people: () => Promise.resolve({ people }),
      issueBatch: () => {
        server.batches++
        return Promise.resolve({ activations: people.filter((p) => !p.activated).map(code) })
      },
    },
  }
})

const { default: AdminPage } = await import('./AdminPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  h = signedInHarness({ role: 'admin', branchId: null })
  server.batches = 0
})
afterEach(async () => {
  page?.unmount()
  page = null
  document.body.innerHTML = ''
  await h.db.delete()
})

describe('activation codes for a bulk import', () => {
  it('a fresh batch for those not yet activated, shown once, with a printable cut-out slip per person', async () => {
    page = await mountPage(h, AdminPage, '/admin')
    expect(page.find('[data-testid="activation-waiting"]').text()).toContain('尚未激活（2 人）')
    await page.find('[data-testid="issue-batch"]').trigger('click')
    await settle(2)
    ;(document.querySelector('.van-dialog__confirm') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(server.batches).toBe(1))
    await settle()
    expect(page.findAll('[data-testid="activation-row"]').map((r) => r.text())).toEqual([
      '何雪梅机关第一党支部13700000001ABCD2345',
      '冯志远机关第一党支部13700000003ABCD2345',
    ])
    // Names are never broken mid-name on a narrow phone; 新增党支部 stays on one line.
    expect(page.findAll('[data-testid="activation-row"] td:first-child').map((td) => td.classes())).toEqual([
      ['codes__name'],
      ['codes__name'],
    ])
    expect(page.find('[data-testid="add-branch"]').classes()).toContain('inline-form__button')

    await page
      .findAll('button')
      .find((b) => b.text() === '预览裁剪条')
      ?.trigger('click')
    const slips = page.findAll('[data-testid="activation-slip"]')
    expect(slips).toHaveLength(2)
    const first = slips[0]!
    expect(first.text()).toContain('何雪梅')
    expect(first.text()).toContain('机关第一党支部')
    expect(first.text()).toContain(window.location.host)
    expect(first.findAll('ol > li')).toHaveLength(3)
    expect(first.find('img').attributes('src')).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(atob(first.find('img').attributes('src')?.split(',')[1] ?? '')).toContain('<svg')

    // Shown once: leaving the page forgets them.
    page.unmount()
    page = await mountPage(h, AdminPage, '/admin')
    expect(page.find('[data-testid="activation-codes"]').exists()).toBe(false)
  })
})
