import { describe, expect, it } from 'vitest'
import { COLUMN_LABELS, readRoster, validateRoster, type RosterContext } from './roster.ts'
import { ROSTER_TEMPLATE_HEADERS, rosterTemplateCsv } from '../../core/roster-template.ts'

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
