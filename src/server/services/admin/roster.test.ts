import { describe, expect, it } from 'vitest'
import { COLUMN_LABELS, readRoster, validateRoster, type RosterContext } from './roster.ts'
import { ROSTER_TEMPLATE_HEADERS, rosterTemplateCsv } from '../../../core/roster-template.ts'

const BRANCH = '机关第一党支部'
const context = (over: Partial<RosterContext> = {}): RosterContext => ({
  today: '2026-11-30',
  branches: new Map([[BRANCH, 'branch-1']]),
  groups: new Map([['branch-1/第一党小组', 'group-1']]),
  existingPhones: new Set(),
  onlyBranch: null,
  mayCreateBranches: false,
  ...over,
})

describe('roster template', () => {
  it('has exactly the headers the import recognises', () => {
    expect([...ROSTER_TEMPLATE_HEADERS]).toEqual(Object.values(COLUMN_LABELS))
  })

  it('round-trips: the downloaded template passes the preview without a problem or notice', async () => {
    const raw = await readRoster('花名册模板.csv', Buffer.from(rosterTemplateCsv(BRANCH, '2026-11-30')))
    expect(Object.keys(raw.columns).sort()).toEqual(Object.keys(COLUMN_LABELS).sort())
    for (const ctx of [context(), context({ onlyBranch: { id: 'branch-1', name: BRANCH } })]) {
      const result = validateRoster(raw, ctx)
      expect(result.problems).toEqual([])
      expect(result.notices).toEqual([])
      expect(result.rows.map((r) => [r.name, r.phone, r.status, r.branchId, r.groupId])).toEqual([
        ['张三', '13800138001', 'full', 'branch-1', 'group-1'],
        ['李四', '13800138002', 'probationary', 'branch-1', null],
      ])
    }
  })
})

describe('人员类别', () => {
  it('“党员” is taken as 正式党员, and the row says so', async () => {
    const csv = '姓名,手机号,所在支部,人员类别\n张三,13800138001,机关第一党支部,党员\n李四,13800138002,机关第一党支部,群众\n'
    const result = validateRoster(await readRoster('花名册.csv', Buffer.from(csv)), context())
    expect(result.rows[0]?.status).toBe('full')
    expect(result.problems).toEqual([{ row: 3, column: '人员类别', message: '人员类别应为“正式党员”或“预备党员”' }])
    expect(result.notices).toEqual([{ row: 2, column: '人员类别', message: '“党员”按正式党员导入；预备党员请写“预备党员”' }])
  })
})
