// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'
import type { AuditEntry } from '../../../core/schemas/people.ts'

const server = vi.hoisted(() => ({ entries: [] as AuditEntry[], reads: 0 }))
vi.mock('../../api/admin-client.ts', () => ({
  adminApi: {
    auditLog: () => {
      server.reads++
      return Promise.resolve({ entries: [...server.entries] })
    },
    reminderFailures: () => Promise.resolve({ total: 0, failures: [] }),
  },
}))
const { default: AuditPage } = await import('./AuditPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
const entry = (id: string, action: string): AuditEntry => ({
  id,
  at: '2026-11-30T01:00:00.000Z',
  actor: '管理员',
  action,
  summary: '',
  device: '',
})
beforeEach(() => {
  h = signedInHarness({ role: 'admin', branchId: null })
  server.entries = [entry('1', '修改人员')]
  server.reads = 0
})
afterEach(async () => {
  vi.useRealTimers()
  page?.unmount()
  page = null
  await h.db.delete()
})

describe('操作日志 export', () => {
  it('the export links are padded small button-links; after a download starts, the list shows the new 导出审计日志 entry without a reload', async () => {
    page = await mountPage(h, AuditPage, '/admin/audit')
    expect(page.findAll('[data-testid="audit-row"]')).toHaveLength(1)
    const xlsx = page.get('[data-testid="audit-export-xlsx"]')
    expect(xlsx.classes()).toEqual(expect.arrayContaining(['button-link', 'button-link--small']))
    expect(page.get('[data-testid="audit-export-csv"]').classes()).toContain('button-link--small')

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    // The browser's download itself is not the test's business.
    xlsx.element.addEventListener('click', (e) => e.preventDefault())
    await xlsx.trigger('click')
    server.entries = [entry('2', '导出审计日志'), ...server.entries]
    const before = server.reads
    vi.advanceTimersByTime(1500)
    vi.useRealTimers()
    await settle(3)
    expect(server.reads).toBe(before + 1)
    expect(page.findAll('[data-testid="audit-row"]').map((r) => r.text())).toEqual([
      expect.stringContaining('导出审计日志'),
      expect.stringContaining('修改人员'),
    ])
  })
})
