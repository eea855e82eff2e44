import ExcelJS from 'exceljs'
import type { ImportCreate, ImportProblem, ImportRow } from '../../../core/schemas/people.ts'
import type { MemberStatus } from '../../../core/domain/roles.ts'
import { checkPartyDates } from '../../../core/domain/political-birthday.ts'
import { normalizePhone } from '../../../core/identifiers.ts'
import {
  cellTooLong,
  checkedXlsx,
  EXCELJS_READ_OPTIONS,
  parseCsv,
  ROSTER_LIMITS,
  RosterFileError,
  UNREADABLE_XLSX,
} from './roster-limits.ts'

export { RosterFileError } from './roster-limits.ts'

/**
 * Reading the roster a secretary already has (xlsx or csv, Chinese headers) and listing every
 * row's problems before anything is written.
 */

export const MAX_ROWS = 2000

type Column = 'name' | 'phone' | 'branch' | 'group' | 'status' | 'joined' | 'full' | 'note'

/** The headers rosters use for each column (compared without spaces). */
const HEADERS: Record<Column, string[]> = {
  name: ['姓名', '党员姓名'],
  phone: ['手机号', '手机号码', '手机', '联系电话', '电话', '联系方式'],
  branch: ['所在支部', '所在党支部', '党支部', '支部', '支部名称'],
  group: ['党小组', '所在党小组'],
  status: ['人员类别', '党员类别', '类别', '党员状态', '党籍状态', '身份'],
  joined: ['入党日期', '入党时间'],
  full: ['转正日期', '转正时间'],
  note: ['备注'],
}
export const COLUMN_LABELS: Record<Column, string> = {
  name: '姓名',
  phone: '手机号',
  branch: '所在支部',
  group: '党小组',
  status: '人员类别',
  joined: '入党日期',
  full: '转正日期',
  note: '备注',
}

type Cell = string | number | Date | null

export interface RawRoster {
  /** Column → index in the row, for the headers that were found. */
  columns: Partial<Record<Column, number>>
  /** Data rows with their spreadsheet row number. */
  rows: { row: number; cells: Cell[] }[]
}

/**
 * The cells of a CSV or of an xlsx's first sheet. Every limit of ROSTER_LIMITS is checked before
 * and while the file is unpacked and parsed (see roster-limits.ts); exceljs only sees a checked file.
 */
async function readCells(fileName: string, buf: Buffer): Promise<Cell[][]> {
  if (/\.csv$/i.test(fileName)) return parseCsv(buf)
  const checked = await checkedXlsx(buf)
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(
      checked.byteLength === checked.buffer.byteLength ? checked.buffer : new Uint8Array(checked).buffer,
      EXCELJS_READ_OPTIONS,
    )
  } catch {
    throw new RosterFileError(UNREADABLE_XLSX)
  }
  const sheet = wb.worksheets[0]
  if (!sheet) throw new RosterFileError('文件中没有工作表')
  if (sheet.rowCount > ROSTER_LIMITS.rows) throw new RosterFileError(`表格行数超过 ${ROSTER_LIMITS.rows} 行，请删除多余的行，或分批导入`)
  const out: Cell[][] = []
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: Cell[] = []
    for (let c = 1; c <= Math.min(row.cellCount, ROSTER_LIMITS.columns); c++) {
      const v = row.getCell(c).value
      if (v === null || v === undefined) cells.push(null)
      else if (v instanceof Date || typeof v === 'number' || typeof v === 'string') cells.push(v)
      else if (typeof v === 'object' && 'result' in v) cells.push((v.result as Cell | undefined) ?? null)
      else if (typeof v === 'object' && 'richText' in v) cells.push(v.richText.map((t) => t.text).join(''))
      else if (typeof v === 'object' && 'text' in v) cells.push(String(v.text))
      else cells.push(String(v as unknown as string))
    }
    out[n - 1] = cells
  })
  return Array.from(out, (r) => r ?? [])
}

export async function readRoster(fileName: string, buf: Buffer): Promise<RawRoster> {
  const cells = await readCells(fileName, buf)
  cells.forEach((r, i) => {
    const refused = cellTooLong(r, i + 1)
    if (refused) throw refused
  })
  // The header row is the first of the first ten rows that names a person column (titles above it are skipped).
  const norm = (c: Cell) => String(c ?? '').replace(/\s/g, '')
  const headerIndex = cells.slice(0, 10).findIndex((r) => r.some((c) => HEADERS.name.includes(norm(c))))
  if (headerIndex < 0) throw new RosterFileError('找不到表头：第一行应包含“姓名”“手机号”等列名')
  const header = cells[headerIndex] ?? []
  const columns: Partial<Record<Column, number>> = {}
  header.forEach((c, i) => {
    const h = norm(c)
    for (const [col, names] of Object.entries(HEADERS) as [Column, string[]][])
      if (names.includes(h) && columns[col] === undefined) columns[col] = i
  })
  if (columns.phone === undefined) throw new RosterFileError('找不到“手机号”列')
  const rows = cells
    .slice(headerIndex + 1)
    .map((r, i) => ({ row: headerIndex + 2 + i, cells: r }))
    .filter((r) => r.cells.some((c) => norm(c) !== ''))
  if (rows.length > MAX_ROWS) throw new RosterFileError(`一次最多导入 ${MAX_ROWS} 人，请分批导入`)
  return { columns, rows }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A date written with only its year and month (1992年7月, 1992.07, 1992-7): taken as the 1st of that month. */
const YEAR_MONTH = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/

/** A roster date in any of the usual forms → YYYY-MM-DD; '' → null; undefined when unreadable. Year and month only → the 1st. */
export function rosterDate(c: Cell): string | null | undefined {
  if (c === null || String(c).trim() === '') return null
  let y: number, m: number, d: number
  const monthOnly = typeof c === 'string' ? YEAR_MONTH.exec(c.trim()) : null
  if (monthOnly) {
    const iso = `${monthOnly[1]}-${pad(Number(monthOnly[2]))}-01`
    return Number(monthOnly[2]) >= 1 && Number(monthOnly[2]) <= 12 ? iso : undefined
  }
  if (c instanceof Date) {
    // exceljs gives dates as UTC midnight of the calendar day.
    ;[y, m, d] = [c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate()]
  } else if (typeof c === 'number') {
    // A date cell without date formatting: days since 1899-12-30 (Excel's serial).
    if (c < 1 || c > 80000) return undefined
    const dt = new Date(Date.UTC(1899, 11, 30) + Math.round(c) * 86_400_000)
    ;[y, m, d] = [dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()]
  } else {
    const s = c.trim()
    const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s)
    if (!match) return undefined
    ;[y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  }
  const iso = `${y}-${pad(m)}-${pad(d)}`
  const check = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(check.getTime()) && check.toISOString().slice(0, 10) === iso ? iso : undefined
}

const STATUS_WORDS: Record<string, MemberStatus> = { 正式党员: 'full', 正式: 'full', 预备党员: 'probationary', 预备: 'probationary' }

export interface RosterContext {
  today: string
  /** Branch name → id (archived branches left out). */
  branches: Map<string, string>
  /** `${branchId}/${groupName}` → group id. */
  groups: Map<string, string>
  /** Phones that already have an account. */
  existingPhones: Set<string>
  /** A secretary imports into their own branch only; an administrator into any. */
  onlyBranch: { id: string; name: string } | null
  /** Administrators may have the branches the file names created with the import; secretaries may not. */
  mayCreateBranches: boolean
}

/** A branch or group that does not exist yet: `new:<name>` (`new:<branch>/<group>`) until the apply creates it. */
export const NEW_PREFIX = 'new:'

export interface ValidRow extends ImportRow {
  branchId: string
  groupId: string | null
}

/** Every row's problems (blocking), notices (not blocking), what would be created, and the rows as they would be written. */
export function validateRoster(
  raw: RawRoster,
  ctx: RosterContext,
): { rows: ValidRow[]; problems: ImportProblem[]; notices: ImportProblem[]; create: ImportCreate } {
  const problems: ImportProblem[] = []
  const notices: ImportProblem[] = []
  const create: ImportCreate = { branches: [], groups: [] }
  const rows: ValidRow[] = []
  const seen = new Map<string, number>()
  const get = (cells: Cell[], col: Column): Cell => {
    const i = raw.columns[col]
    return i === undefined ? null : (cells[i] ?? null)
  }
  const text = (c: Cell) => (c instanceof Date ? c.toISOString().slice(0, 10) : String(c ?? '').trim())
  if (raw.rows.length === 0) problems.push({ row: 1, column: '', message: '文件中没有人员' })
  for (const { row, cells } of raw.rows) {
    const bad = (column: Column, message: string) => problems.push({ row, column: COLUMN_LABELS[column], message })
    const name = text(get(cells, 'name'))
    if (!name) bad('name', '缺少姓名')
    else if ([...name].length > 40) bad('name', '姓名最多 40 字')

    const phone = normalizePhone(text(get(cells, 'phone')))
    if (!/^1\d{10}$/.test(phone)) bad('phone', phone ? `手机号“${phone.slice(0, 20)}”不是 11 位手机号` : '缺少手机号')
    else if (seen.has(phone)) bad('phone', `与第 ${seen.get(phone)} 行手机号重复`)
    else if (ctx.existingPhones.has(phone)) bad('phone', '该手机号已有账号')
    if (/^1\d{10}$/.test(phone) && !seen.has(phone)) seen.set(phone, row)

    let branch = text(get(cells, 'branch')).replace(/\s+/g, ' ')
    let branchId: string | undefined
    if (ctx.onlyBranch) {
      if (!branch) branch = ctx.onlyBranch.name
      if (branch !== ctx.onlyBranch.name) bad('branch', `只能导入本支部（${ctx.onlyBranch.name}）的人员`)
      else branchId = ctx.onlyBranch.id
    } else if (!branch) bad('branch', '缺少所在支部')
    else if (!(branchId = ctx.branches.get(branch))) {
      // Not set up yet: offered for creation with the import (listed in the preview, confirmed with the apply).
      if (!ctx.mayCreateBranches) bad('branch', `没有名为“${branch.slice(0, 40)}”的党支部（党支部须由管理员先建立）`)
      else if ([...branch].length < 2 || [...branch].length > 60) bad('branch', `党支部名称“${branch.slice(0, 40)}”应为 2 至 60 字`)
      else {
        branchId = `${NEW_PREFIX}${branch}`
        if (!create.branches.includes(branch)) create.branches.push(branch)
      }
    }

    const group = text(get(cells, 'group')).replace(/\s+/g, ' ')
    let groupId: string | null = null
    if (group && branchId) {
      groupId = ctx.groups.get(`${branchId}/${group}`) ?? null
      if (!groupId) {
        if ([...group].length < 2 || [...group].length > 60) bad('group', `党小组名称“${group.slice(0, 40)}”应为 2 至 60 字`)
        else {
          groupId = `${NEW_PREFIX}${branch}/${group}`
          if (!create.groups.some((g) => g.branch === branch && g.group === group)) create.groups.push({ branch, group })
        }
      }
    }

    const statusText = text(get(cells, 'status'))
    const status = statusText ? (STATUS_WORDS[statusText] ?? (statusText === '党员' ? 'full' : undefined)) : 'full'
    if (!status) bad('status', `人员类别应为“正式党员”或“预备党员”`)
    // Many rosters write just 党员 for a full member: taken as 正式党员, and said so.
    else if (statusText === '党员')
      notices.push({ row, column: COLUMN_LABELS.status, message: '“党员”按正式党员导入；预备党员请写“预备党员”' })

    const joined = rosterDate(get(cells, 'joined'))
    const full = rosterDate(get(cells, 'full'))
    if (joined === undefined) bad('joined', '入党日期无法识别（例：2006-07-01 或 2006年7月）')
    if (full === undefined) bad('full', '转正日期无法识别（例：2007-07-01 或 2007年7月）')
    for (const col of ['joined', 'full'] as const) {
      const raw = get(cells, col)
      const date = col === 'joined' ? joined : full
      if (date && typeof raw === 'string' && YEAR_MONTH.test(raw.trim()))
        notices.push({ row, column: COLUMN_LABELS[col], message: `只有年月，按 ${date}（当月1日）记录，可在人员信息中修改` })
    }
    if (joined !== undefined && full !== undefined) {
      const problem = checkPartyDates(joined, full, ctx.today)
      if (problem) bad(problem.startsWith('转正') ? 'full' : 'joined', problem)
    }
    const note = text(get(cells, 'note')).slice(0, 500)
    rows.push({
      row,
      name,
      phone,
      branch,
      group,
      status: status ?? 'full',
      joinedPartyOn: joined ?? null,
      fullMemberOn: full ?? null,
      note,
      branchId: branchId ?? '',
      groupId,
    })
  }
  return { rows, problems, notices, create }
}
