// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { ImportPreview, ImportRow, OrgTree } from '../../../core/schemas/people.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'
import { ROSTER_TEMPLATE_HEADERS } from '../../../core/roster-template.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))

vi.mock('../../api/admin-client.ts', () => {
  const row = (n: number, name: string): ImportRow => ({
    row: n,
    name,
    phone: `1380013800${n}`,
    branch: '第一党支部',
    group: '',
    status: 'full',
    joinedPartyOn: null,
    fullMemberOn: null,
    note: '',
  })
  const preview: ImportPreview = {
    rows: [row(2, '张三'), row(3, '李四'), row(4, '王五'), row(5, '赵六'), row(6, '钱七')],
    problems: [
      { row: 5, column: '手机号', message: '该手机号已有账号' },
      { row: 6, column: '入党日期', message: '入党日期无法识别（例：2006-07-01 或 2006年7月）' },
      { row: 6, column: '手机号', message: '与第 2 行手机号重复' },
    ],
    notices: [],
    create: { branches: [], groups: [] },
  }
  const tree: OrgTree = { orgName: '机关党委', branches: [] }
  return {
    adminApi: {
      orgTree: () => Promise.resolve(tree),
      people: () => Promise.resolve({ people: [] }),
      previewImport: () => Promise.resolve(preview),
    },
  }
})

const { default: ImportPage } = await import('./ImportPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  h = signedInHarness({ role: 'secretary', branchName: '第一党支部' })
})
afterEach(async () => {
  page?.unmount()
  page = null
  document.body.innerHTML = ''
  await h.db.delete()
  vi.restoreAllMocks()
})

async function choose(p: VueWrapper): Promise<void> {
  const input = p.find('[data-testid="roster-file"]')
  Object.defineProperty(input.element, 'files', { value: [new File(['姓名,手机号\n'], '花名册.csv', { type: 'text/csv' })] })
  await input.trigger('change')
  await settle()
}

describe('roster import page', () => {
  it('counts the rows with problems at the top, and 只看有问题的行 lists only those', async () => {
    page = await mountPage(h, ImportPage, '/admin/import')
    await choose(page)
    expect(page.find('[data-testid="import-summary"]').text()).toBe('共 5 人，发现 3 处问题（2 行），请修改文件后重新选择')
    expect(page.findAll('[data-testid="import-row"]')).toHaveLength(5)
    const only = page.find('[data-testid="import-only-problems"]')
    expect(only.element.closest('label')?.textContent).toContain('只看有问题的行（2 行）')
    await only.setValue(true)
    const rows = page.findAll('[data-testid="import-row"]')
    expect(rows.map((r) => r.text().split('·')[1]?.trim().slice(0, 2))).toEqual(['赵六', '钱七'])
    expect(rows[1]?.text()).toContain('与第 2 行手机号重复')
  })

  it('下载模板 gives a CSV with exactly the recognised headers and two example rows in the secretary’s branch', async () => {
    let blob: Blob | null = null
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob
      return 'blob:template'
    })
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    page = await mountPage(h, ImportPage, '/admin/import')
    await page.find('[data-testid="roster-template"]').trigger('click')
    expect(click).toHaveBeenCalledOnce()
    expect(blob).not.toBeNull()
    const lines = (await (blob as unknown as Blob).text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/)
    expect(lines[0]).toBe(ROSTER_TEMPLATE_HEADERS.join(','))
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain('13800138001,第一党支部')
  })
})
