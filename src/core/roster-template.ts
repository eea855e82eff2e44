/**
 * The 花名册 template offered on the import page: exactly the column headers the roster import
 * recognises (see src/server/services/admin/roster.ts), and two example rows to overwrite.
 */
export const ROSTER_TEMPLATE_HEADERS = ['姓名', '手机号', '所在支部', '党小组', '人员类别', '入党日期', '转正日期', '备注'] as const

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

/** The example rows: one 正式党员, one 预备党员 who joined three months before `today` (China date, YYYY-MM-DD). */
export function rosterTemplateRows(branch: string, today: string): string[][] {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const joined = new Date(Date.UTC(y, m - 1 - 3, 1)).toISOString().slice(0, 10)
  return [
    ['张三', '13800138001', branch, '第一党小组', '正式党员', '2006-07-01', '2007-07-01', '示例行，请替换为本支部人员'],
    ['李四', '13800138002', branch, '', '预备党员', joined, '', '示例行，请替换为本支部人员'],
  ]
}

/** The template as CSV text (Excel opens it; the byte-order mark keeps the Chinese readable). */
export function rosterTemplateCsv(branch: string, today: string): string {
  return (
    '\uFEFF' +
    [[...ROSTER_TEMPLATE_HEADERS], ...rosterTemplateRows(branch, today)].map((r) => r.map(csvCell).join(',')).join('\r\n') +
    '\r\n'
  )
}
