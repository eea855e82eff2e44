import { zipSync, type Zippable } from 'fflate'
import Papa from 'papaparse'
import { SaxesParser } from 'saxes'
import yauzl from 'yauzl'
import { HttpError } from '../../lib/http-error.ts'

/**
 * Limits on an uploaded roster, checked before and while it is unpacked and parsed, so that a
 * small file cannot make the server inflate, parse or allocate without bound (a 250 KB xlsx whose
 * one cell unpacks to 250 MB; a 7 KB xlsx whose merged range or defined name spans the whole
 * sheet, which exceljs turns into billions of cells). A roster of 3,000 people with ten columns
 * is about 2.2 MB of XML and 130,000 XML elements, so each limit leaves it several times over.
 */
export const ROSTER_LIMITS = {
  /** Parts inside an xlsx (Excel writes 10–20). */
  zipEntries: 100,
  /** Bytes all parts of an xlsx unpack to, as declared in the zip and as actually inflated. */
  inflatedBytes: 16 * 1024 * 1024,
  /** XML elements in all parts together (a filled cell is 2–4 of them). */
  xmlElements: 600_000,
  /** Rows of a sheet (the highest row number that has a row or a cell, and the number of rows). */
  rows: 5000,
  /** Columns of a sheet (the highest column of a cell, and the cells in one row). */
  columns: 60,
  /** Merged ranges in one sheet (exceljs checks each against all the others). */
  merges: 5000,
  /** Cells that a workbook's defined names (print area, filter range, named lists) cover together. */
  definedNameCells: 300_000,
  /** Characters in one cell. */
  cellChars: 2000,
}
export type RosterLimits = typeof ROSTER_LIMITS

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`)

/** A roster file we refuse, with the reason the secretary reads; `tooLarge` answers 413 rather than 422. */
export class RosterFileError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message)
  }
}

export const UNREADABLE_XLSX = '无法读取该 xlsx 文件，请确认文件未损坏（或另存为 CSV 后上传）'
const SAVE_AS_CSV = '请删除无关的工作表、图片和格式后重试，或另存为 CSV 后上传'

const tooManyRows = (limits: RosterLimits, csv = false) =>
  new RosterFileError(`表格行数超过 ${limits.rows} 行${csv ? '' : '（含设置了格式的空行）'}，不像是花名册。请删除多余的行，或分批导入`)
const tooManyColumns = (limits: RosterLimits, csv = false) =>
  new RosterFileError(`表格列数超过 ${limits.columns} 列${csv ? '' : '（含设置了格式的空列）'}，不像是花名册。请删除多余的列后重试`)

// ---------------------------------------------------------------------------------------------
// Cell references as exceljs 4.4 reads them (utils/col-cache.js decodeAddress/decodeEx and
// xform/book/defined-name-xform.js extractRanges), to know how many cells a merged range or a
// defined name will make it create before it does. Unit tests compare these with exceljs itself.

/** The row and column exceljs reads from an address such as `$B$12`; throws where it throws. */
export function decodeAddress(value: string): { row: number | undefined; col: number | undefined } {
  let hasCol = false
  let hasRow = false
  let col = 0
  let row = 0
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i)
    if (!hasRow && ch >= 65 && ch <= 90) {
      hasCol = true
      col = col * 26 + ch - 64
    } else if (ch >= 48 && ch <= 57) {
      hasRow = true
      row = row * 10 + ch - 48
    } else if (hasRow && hasCol && ch !== 36) break
  }
  if (hasCol && col > 16384) throw new RangeError(`column out of bounds: ${value.slice(0, 40)}`)
  return { row: hasRow ? row : undefined, col: hasCol ? col : undefined }
}

/** The addresses of a reference with an optional sheet name (`'名册'!$A$1:$H$300`), as exceljs splits it. */
function referenceParts(value: string): string[] {
  const reference = /(?:(?:(?:'((?:[^']|'')*)')|([^'^ !]*))!)?(.*)/.exec(value)?.[3] ?? ''
  const parts = reference.split(':')
  return parts.length > 1 ? parts.slice(0, 2) : parts
}

/**
 * How many cells exceljs loops over for a range (at least, rounded up: a missing row or column
 * counts as one). Throws where exceljs throws (a column past XFD).
 */
export function rangeCells(value: string): number {
  const [a, b = a] = referenceParts(value).map(decodeAddress)
  if (!a || !b) return 1
  const span = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? 1 : Math.abs(x - y) + 1)
  return span(a.row, b.row) * span(a.col, b.col)
}

/** The highest row and column a reference names (0 where it names none). Throws where exceljs throws. */
function referenceBounds(value: string): { row: number; col: number } {
  let row = 0
  let col = 0
  for (const part of referenceParts(value)) {
    const a = decodeAddress(part)
    row = Math.max(row, a.row ?? 0)
    col = Math.max(col, a.col ?? 0)
  }
  return { row, col }
}

function isValidRange(value: string): boolean {
  try {
    referenceParts(value).forEach(decodeAddress)
    return true
  } catch {
    return false
  }
}

/** The ranges exceljs reads from a defined name's text (commas inside quoted sheet names kept). */
export function definedNameRanges(text: string): string[] {
  const ranges: string[] = []
  let quotesOpened = false
  let last = ''
  for (const item of text.split(',')) {
    if (!item) continue
    const quotes = (item.match(/'/g) ?? []).length
    if (!quotes) {
      if (quotesOpened) last += `${item},`
      else if (isValidRange(item)) ranges.push(item)
      continue
    }
    const quotesEven = quotes % 2 === 0
    if (!quotesOpened && quotesEven && isValidRange(item)) ranges.push(item)
    else if (quotesOpened && !quotesEven) {
      quotesOpened = false
      if (isValidRange(last + item)) ranges.push(last + item)
      last = ''
    } else {
      quotesOpened = true
      last += `${item},`
    }
  }
  // exceljs only expands the ones written with `$col$row`.
  return ranges.filter((r) => /[$](\w+)[$](\d+)(:[$](\w+)[$](\d+))?/.test(r.split('!').pop() ?? ''))
}

/** The cells exceljs creates for one defined name. */
export function definedNameCells(text: string): number {
  return definedNameRanges(text).reduce((sum, r) => sum + rangeCells(r), 0)
}

// ---------------------------------------------------------------------------------------------
// xlsx

/** exceljs reads a part as a worksheet when its name matches this (after one leading '/'). */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/

/** Counts elements in every part and checks worksheets' shape, fed the part's text in pieces. */
class PartScanner {
  private readonly parser = new SaxesParser()
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  private rowNumber = 0
  private rowElements = 0
  private colNumber = 0
  private cellsInRow = 0
  private merges = 0
  private definedName: string | null = null

  constructor(
    name: string,
    private readonly limits: RosterLimits,
    private readonly totals: { elements: number; definedNameCells: number },
  ) {
    const worksheet = WORKSHEET.test(name.replace(/^\//, ''))
    // exceljs stops at the first XML error (and then refuses the file); we read on and count
    // everything after it too, which can only count more.
    this.parser.on('error', () => undefined)
    this.parser.on('opentag', (tag) => {
      if (++this.totals.elements > this.limits.xmlElements)
        throw new RosterFileError(`文件内容过多（超过 ${this.limits.xmlElements} 个 XML 元素），不像是花名册。${SAVE_AS_CSV}`, true)
      const { name: tagName, attributes } = tag
      if (tagName === 'definedName') this.definedName = ''
      if (tagName === 'mergeCell') this.mergeCell(attributes.ref ?? '')
      if (!worksheet) return
      if (tagName === 'row') this.row(attributes.r)
      else if (tagName === 'c') this.cell(attributes.r)
    })
    this.parser.on('text', (text) => {
      if (this.definedName !== null) this.definedName += text
    })
    this.parser.on('closetag', (tag) => {
      if (tag.name !== 'definedName' || this.definedName === null) return
      let cells: number
      try {
        cells = definedNameCells(this.definedName)
      } catch {
        cells = 0 // exceljs skips a range it cannot read
      }
      this.definedName = null
      this.totals.definedNameCells += cells
      if (this.totals.definedNameCells > this.limits.definedNameCells) {
        throw new RosterFileError(
          `工作簿中“定义的名称”（打印区域、筛选范围等）覆盖的单元格过多（超过 ${this.limits.definedNameCells} 个）。请在“公式 → 名称管理器”中删除后重试，或另存为 CSV 后上传`,
        )
      }
    })
  }

  private row(r: string | undefined) {
    // exceljs numbers a row with parseInt(r); without one we count on from the last.
    const n = r === undefined ? Number.NaN : Number.parseInt(r, 10)
    this.rowNumber = Number.isNaN(n) ? this.rowNumber + 1 : n
    if (this.rowNumber > this.limits.rows || ++this.rowElements > this.limits.rows) throw tooManyRows(this.limits)
    this.colNumber = 0
    this.cellsInRow = 0
  }

  private cell(r: string | undefined) {
    // exceljs places a cell by the column of its r, or next to the one before it.
    let col: number | undefined
    try {
      col = r === undefined ? undefined : decodeAddress(r).col
    } catch {
      throw tooManyColumns(this.limits)
    }
    this.colNumber = col ?? this.colNumber + 1
    if (this.colNumber > this.limits.columns || ++this.cellsInRow > this.limits.columns) throw tooManyColumns(this.limits)
  }

  private mergeCell(ref: string) {
    if (++this.merges > this.limits.merges)
      throw new RosterFileError(`合并单元格超过 ${this.limits.merges} 处，请取消合并后重试，或另存为 CSV 后上传`)
    let bounds: { row: number; col: number }
    try {
      bounds = referenceBounds(ref)
    } catch {
      throw tooManyColumns(this.limits)
    }
    if (bounds.row > this.limits.rows) throw tooManyRows(this.limits)
    if (bounds.col > this.limits.columns) throw tooManyColumns(this.limits)
  }

  write(chunk: Buffer): void {
    this.parser.write(this.decoder.decode(chunk, { stream: true }))
  }

  end(): void {
    this.parser.write(this.decoder.decode())
    this.parser.close()
  }
}

/**
 * Unpacks an uploaded xlsx within the limits and returns it packed again, stored, with exactly the
 * parts that were checked: exceljs then reads what we read (a zip can be made to look different
 * to different readers). Refuses with a RosterFileError before exceljs sees anything.
 */
export async function checkedXlsx(buf: Buffer, limits: RosterLimits = ROSTER_LIMITS): Promise<Uint8Array<ArrayBuffer>> {
  let zip: yauzl.ZipFile
  try {
    // Names are only matched, never used as paths: decode them without yauzl's path checks.
    // Each part's inflated size is compared with its declared one below.
    zip = await yauzl.fromBufferPromise(buf, { decodeStrings: false, validateEntrySizes: false })
  } catch {
    throw new RosterFileError(UNREADABLE_XLSX)
  }
  // Errors reach us through the promises and streams; none may go unheard and end the process.
  zip.on('error', () => undefined)
  const tooLarge = () => new RosterFileError(`文件解压后过大（超过 ${size(limits.inflatedBytes)}），不像是花名册。${SAVE_AS_CSV}`, true)
  try {
    if (zip.entryCount > limits.zipEntries)
      throw new RosterFileError(`文件内包含的部件过多（超过 ${limits.zipEntries} 个），不像是花名册。${SAVE_AS_CSV}`, true)
    // The central directory first: its count and declared sizes, before inflating anything.
    const entries: { entry: yauzl.Entry; name: string }[] = []
    let declared = 0
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize
      if (declared > limits.inflatedBytes) throw tooLarge()
      entries.push({ entry, name: yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false) })
    }
    // Then each part, counting the bytes actually inflated: a declared size can lie, so we stop
    // at the first byte past it, and at the first past the total.
    const totals = { elements: 0, definedNameCells: 0 }
    const parts: Zippable = {}
    let inflated = 0
    for (const { entry, name } of entries) {
      if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8))
        throw new RosterFileError(UNREADABLE_XLSX)
      const scanner = new PartScanner(name, limits, totals)
      const chunks: Buffer[] = []
      const stream = await zip.openReadStreamPromise(entry)
      let own = 0
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        own += chunk.length
        inflated += chunk.length
        if (inflated > limits.inflatedBytes) throw tooLarge()
        if (own > entry.uncompressedSize)
          throw new RosterFileError('文件已损坏：其中一个部件解压后比文件记录的大小更大。请在 Excel 中重新保存后上传，或另存为 CSV 后上传')
        scanner.write(chunk)
        chunks.push(chunk)
      }
      scanner.end()
      // Folders are not parts; a part named "__proto__" (read by no one) would be taken for an
      // object's prototype when packing again.
      if (!name.endsWith('/') && name !== '__proto__') parts[name] = Buffer.concat(chunks)
    }
    return zipSync(parts, { level: 0 })
  } catch (err) {
    if (err instanceof RosterFileError) throw err
    throw new RosterFileError(UNREADABLE_XLSX)
  } finally {
    zip.close()
  }
}

/**
 * exceljs options for reading a checked roster: only cell values and merges are read. Column
 * formats, data validation (a drop-down on a whole column is a million cells to exceljs),
 * conditional formats, hyperlinks, drawings and the rest are skipped; the row and cell counts
 * are limited again.
 */
export const EXCELJS_READ_OPTIONS = {
  ignoreNodes: [
    'cols',
    'dataValidations',
    'conditionalFormatting',
    'hyperlinks',
    'autoFilter',
    'rowBreaks',
    'extLst',
    'picture',
    'drawing',
    'tableParts',
  ],
  maxRows: ROSTER_LIMITS.rows,
  maxCols: ROSTER_LIMITS.columns,
}

// ---------------------------------------------------------------------------------------------
// CSV

const ZIP_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1')

/** The text of a CSV as Excel and WPS save it: UTF-8, GBK (Excel on Chinese Windows) or UTF-16 with a BOM. */
export function decodeCsv(buf: Buffer): string {
  if (buf.subarray(0, 4).equals(ZIP_MAGIC))
    throw new RosterFileError('该文件是 Excel 工作簿而不是 CSV 文本：请把文件扩展名改为 .xlsx 后上传')
  let text: string
  if (buf[0] === 0xff && buf[1] === 0xfe) text = new TextDecoder('utf-16le').decode(buf)
  else if (buf[0] === 0xfe && buf[1] === 0xff) text = new TextDecoder('utf-16be').decode(buf)
  else {
    if (buf.includes(0))
      throw new RosterFileError('该文件不是文本格式的 CSV（含有二进制内容）。请在 Excel 中“另存为 CSV”后上传，或直接上传 .xlsx 文件')
    const utf8 = new TextDecoder('utf-8').decode(buf)
    text = utf8.includes('\uFFFD') ? new TextDecoder('gbk').decode(buf) : utf8
  }
  if (text.includes('\u0000'))
    throw new RosterFileError('该文件不是文本格式的 CSV（含有二进制内容）。请在 Excel 中“另存为 CSV”后上传，或直接上传 .xlsx 文件')
  return text.replace(/^\uFEFF/, '')
}

/** A CSV's rows, stopping at the first row past the limits. */
export function parseCsv(buf: Buffer, limits: RosterLimits = ROSTER_LIMITS): string[][] {
  const rows: string[][] = []
  const state: { refused: RosterFileError | null } = { refused: null }
  Papa.parse<string[]>(decodeCsv(buf), {
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      if (state.refused) return
      if (rows.length >= limits.rows) state.refused = tooManyRows(limits, true)
      else if (result.data.length > limits.columns) state.refused = tooManyColumns(limits, true)
      else {
        rows.push(result.data)
        state.refused = cellTooLong(result.data, rows.length, limits)
      }
      if (state.refused) parser.abort()
    },
  })
  if (state.refused) throw state.refused
  return rows
}

/** The refusal for the first over-long cell of a row, if any. */
export function cellTooLong(cells: readonly unknown[], rowNumber: number, limits: RosterLimits = ROSTER_LIMITS): RosterFileError | null {
  for (const c of cells) {
    if (typeof c === 'string' && c.length > limits.cellChars)
      return new RosterFileError(`第 ${rowNumber} 行有一个单元格超过 ${limits.cellChars} 字，不像是花名册的内容，请检查后重试`)
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// One at a time

/**
 * Reading a roster is CPU work of up to a second and some hundreds of MB at the limits: the
 * server reads one at a time, lets a few wait, and asks the rest to retry (429).
 */
export class OneAtATime {
  private busy = false
  private readonly waiting: (() => void)[] = []

  constructor(private readonly maxWaiting = 4) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) {
      if (this.waiting.length >= this.maxWaiting) throw new HttpError(429, 'rate_limited', '服务器正在读取其他花名册，请稍后再试')
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
    this.busy = true
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.busy = false
    }
  }
}
