// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'
import type { YearReport } from '../../../core/contracts/year-report.ts'
import { NetworkError } from '../../api/http.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
const yearReport = vi.fn<(scope: string, year: number) => Promise<YearReport>>()
vi.mock('../../api/admin-client.ts', () => ({ adminApi: { yearReport: (scope: string, year: number) => yearReport(scope, year) } }))
const { default: YearReportPage } = await import('./YearReportPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
afterEach(async () => {
  page?.unmount()
  page = null
  yearReport.mockReset()
  await h.db.delete()
})
const until = async (check: () => boolean) => {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
}

describe('述职评议材料', () => {
  it("the secretary's branch year, as the server generated it, with each fact's rule, ready to print", async () => {
    h = signedInHarness({ role: 'secretary' })
    yearReport.mockResolvedValue({
      title: '第一党支部2026年度党建工作述职评议材料',
      year: 2026,
      generatedAt: '2026-11-30T04:00:00.000Z',
      sections: [
        {
          title: '组织生活制度落实',
          facts: [{ label: '支部委员会', value: '未达要求：3月；共召开 10 次', note: '支部委员会：每月至少1次' }],
        },
      ],
    })
    page = await mountPage(h, YearReportPage, '/meetings/year-report')
    await until(() => page!.find('[data-testid="year-report"]').exists())
    expect(yearReport).toHaveBeenCalledWith(h.user.branchId, new Date(Date.now() + 8 * 3600_000).getUTCFullYear())
    const text = page.get('[data-testid="year-report"]').text()
    expect(text).toContain('第一党支部2026年度党建工作述职评议材料')
    expect(text).toContain('未达要求：3月；共召开 10 次')
    expect(text).toContain('支部委员会：每月至少1次')
    expect(page.get('[data-testid="report-print"]').attributes('disabled')).toBeUndefined()
  })

  it('offline it says the pack needs a connection, and offers to try again', async () => {
    h = signedInHarness({ role: 'secretary' })
    yearReport.mockRejectedValue(new NetworkError(new Error('offline')))
    page = await mountPage(h, YearReportPage, '/meetings/year-report')
    await until(() => page!.find('[data-testid="report-error"]').exists())
    expect(page.get('[data-testid="report-error"]').text()).toContain('生成述职评议材料需要联网')
    expect(page.get('[data-testid="report-print"]').attributes('disabled')).toBeDefined()
  })
})
