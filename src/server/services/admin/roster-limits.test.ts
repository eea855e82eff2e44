import { describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { unzipSync, Zip, ZipPassThrough } from 'fflate'
import { HttpError } from '../../lib/http-error.ts'
import { bombXlsx, rosterXlsx, rowsXml, sheetXml, withParts } from '../../../../tests/integration/support/xlsx-files.ts'
import {
  checkedXlsx,
  decodeAddress,
  decodeCsv,
  definedNameCells,
  OneAtATime,
  parseCsv,
  rangeCells,
  ROSTER_LIMITS,
  RosterFileError,
  type RosterLimits,
} from './roster-limits.ts'

const HEADER = ['姓名', '手机号', '所在支部']
const base = await rosterXlsx([HEADER, ['张三', '13700000001', '第一党支部']])
const workbookXml = Buffer.from(unzipSync(base)['xl/workbook.xml'] ?? new Uint8Array()).toString()
const small: RosterLimits = {
  ...ROSTER_LIMITS,
  rows: 10,
  columns: 5,
  merges: 3,
  definedNameCells: 100,
  xmlElements: 2000,
  zipEntries: 20,
  inflatedBytes: 256 * 1024,
}

async function refusal(p: Promise<unknown>): Promise<RosterFileError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(RosterFileError)
  return err as RosterFileError
}
/** exceljs types its input as an ArrayBuffer. */
const arrayBuffer = (b: Uint8Array): ArrayBuffer => new Uint8Array(b).buffer
const withSheet = (sheetData: string, after = '') => withParts(base, { 'xl/worksheets/sheet1.xml': sheetXml(sheetData, after) })
const withDefinedName = (text: string) =>
  withParts(base, {
    'xl/workbook.xml': workbookXml.replace(
      /<definedNames\/>|<\/sheets>/,
      (m) => `${m === '</sheets>' ? m : ''}<definedNames><definedName name="n">${text}</definedName></definedNames>`,
    ),
  })

describe('cell references as exceljs reads them', () => {
  it('decodes addresses like exceljs, including its leniencies', () => {
    expect(decodeAddress('$B$12')).toEqual({ row: 12, col: 2 })
    expect(decodeAddress('XFD1048576')).toEqual({ row: 1048576, col: 16384 })
    expect(decodeAddress('$3')).toEqual({ row: 3, col: undefined })
    expect(() => decodeAddress('XFE1')).toThrow()
    expect(rangeCells('A1:C3')).toBe(9)
    expect(rangeCells("'名 册'!$A$2:$H$3001")).toBe(8 * 3000)
    expect(rangeCells('$A$1:$XFD$1048576')).toBe(16384 * 1048576)
  })

  it('counts the cells of defined names exactly as exceljs creates them', async () => {
    const cases: [string, number][] = [
      ['花名册!$A$1:$C$3', 9],
      ["'a,b'!$A$2:$B$3", 4],
      ['花名册!$A$1:$B$2,花名册!$D$1:$D$3', 7],
      ["'2024年度'!$B$2:$C$4", 6],
      ['花名册!$1:$2', 0],
      ['花名册!A1:C3', 0],
      ['花名册!$E$5', 1],
    ]
    for (const [text, cells] of cases) {
      expect(definedNameCells(text), text).toBe(cells)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(arrayBuffer(withDefinedName(text)))
      const model = wb.definedNames.model.find((d) => d.name === 'n')
      expect(model?.ranges.reduce((sum, r) => sum + rangeCells(r), 0) ?? 0, text).toBe(cells)
    }
  })
})

describe('checkedXlsx', () => {
  it('passes a real roster through, read the same by exceljs', async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(arrayBuffer(await checkedXlsx(base)))
    expect(wb.worksheets[0]?.getRow(2).values).toEqual([undefined, '张三', '13700000001', '第一党支部'])
  })

  it('refuses a zip bomb while inflating it, at the total', async () => {
    const err = await refusal(checkedXlsx(await bombXlsx(base, 2), small))
    expect(err.tooLarge).toBe(true)
    expect(err.message).toContain('文件解压后过大（超过 256 KB）')
  })

  it('refuses on the declared sizes before inflating anything', async () => {
    // Declares 300 KB but holds a few hundred bytes: refused from the central directory alone.
    const err = await refusal(checkedXlsx(await bombXlsx(base, 0, 300 * 1024), small))
    expect(err.tooLarge).toBe(true)
  })

  it('stops at the first byte past a size the zip lies about', async () => {
    const err = await refusal(checkedXlsx(await bombXlsx(base, 2, 1000)))
    expect(err.tooLarge).toBe(false)
    expect(err.message).toContain('文件已损坏')
  })

  it('refuses too many parts', async () => {
    const many = withParts(base, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`customXml/item${i}.xml`, '<a/>'])))
    expect((await refusal(checkedXlsx(many, small))).message).toContain('部件过多（超过 20 个）')
  })

  it('refuses too many XML elements in any part', async () => {
    const styles = withParts(base, { 'xl/custom.xml': `<a>${'<b/>'.repeat(2000)}</a>` })
    expect((await refusal(checkedXlsx(styles, small))).message).toContain('超过 2000 个 XML 元素')
  })

  it('refuses rows past the limit, by number or by count, with or without r', async () => {
    for (const sheetData of ['<row r="11"><c r="A11"/></row>', '<row r="11"/>', '<row/>'.repeat(11), '<row r="1"/>'.repeat(11)]) {
      expect((await refusal(checkedXlsx(withSheet(sheetData), small))).message, sheetData).toContain('超过 10 行')
    }
    await expect(checkedXlsx(withSheet(rowsXml(Array.from({ length: 10 }, () => ['x']))), small)).resolves.toBeInstanceOf(Uint8Array)
  })

  it('refuses columns past the limit, by letter or by count, with or without r', async () => {
    for (const sheetData of [
      '<row r="1"><c r="F1"/></row>',
      '<row r="1"><c r="A1"/><c/><c/><c/><c/><c/></row>',
      `<row r="1">${'<c r="A1"/>'.repeat(6)}</row>`,
      '<row r="1"><c r="XFE1"/></row>',
    ]) {
      expect((await refusal(checkedXlsx(withSheet(sheetData), small))).message, sheetData).toContain('超过 5 列')
    }
    await expect(checkedXlsx(withSheet(rowsXml([['a', 'b', 'c', 'd', 'e']])), small)).resolves.toBeInstanceOf(Uint8Array)
  })

  it('refuses merged ranges outside the rows and columns, or too many of them', async () => {
    const merge = (...refs: string[]) =>
      withSheet(rowsXml([HEADER]), `<mergeCells>${refs.map((r) => `<mergeCell ref="${r}"/>`).join('')}</mergeCells>`)
    expect((await refusal(checkedXlsx(merge('A3:XFD1048576')))).message).toContain('行数超过 5000 行')
    expect((await refusal(checkedXlsx(merge('A1:BI2')))).message).toContain('列数超过 60 列')
    expect((await refusal(checkedXlsx(merge('A1048576')))).message).toContain('行数超过 5000 行')
    expect((await refusal(checkedXlsx(merge('A1:B1', 'A2:B2', 'A3:B3', 'A4:B4'), small))).message).toContain('合并单元格超过 3 处')
    await expect(checkedXlsx(merge('A1:C1', 'C2:C10'), small)).resolves.toBeInstanceOf(Uint8Array)
  })

  it('refuses defined names that cover too many cells, and keeps the usual ones', async () => {
    expect((await refusal(checkedXlsx(withDefinedName('花名册!$A$1:$XFD$1048576')))).message).toContain('定义的名称')
    expect((await refusal(checkedXlsx(withDefinedName('花名册!$A$1:$A$1000000')))).message).toContain('定义的名称')
    await expect(checkedXlsx(withDefinedName('花名册!$A$2:$H$3001'))).resolves.toBeInstanceOf(Uint8Array)
  })

  it('leaves out a part named __proto__ (read by no one) rather than taking it for a prototype', async () => {
    const out: Uint8Array[] = []
    const zip = new Zip((err, chunk) => {
      if (err) throw err
      out.push(chunk)
    })
    const parts: [string, Uint8Array][] = [...Object.entries(unzipSync(base)), ['__proto__', new Uint8Array(4096).fill(1)]]
    for (const [name, data] of parts) {
      const file = new ZipPassThrough(name)
      zip.add(file)
      file.push(data, true)
    }
    zip.end()
    const checked = await checkedXlsx(Buffer.concat(out))
    const names: string[] = []
    unzipSync(checked, { filter: (f) => (names.push(f.name), false) })
    expect(names.sort()).toEqual(
      parts
        .map(([n]) => n)
        .filter((n) => n !== '__proto__' && !n.endsWith('/'))
        .sort(),
    )
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(arrayBuffer(checked))
    expect(wb.worksheets[0]?.getCell('A2').value).toBe('张三')
  })

  it('refuses what is not a zip', async () => {
    expect((await refusal(checkedXlsx(Buffer.from('not a zip')))).message).toContain('无法读取该 xlsx 文件')
  })
})

describe('CSV', () => {
  const utf16 = (s: string, le: boolean) => {
    const body = Buffer.from(s, 'utf16le')
    if (!le) body.swap16()
    return Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), body])
  }

  it('reads UTF-8 (with or without a BOM), GBK and UTF-16 with a BOM', () => {
    expect(decodeCsv(Buffer.from('\uFEFF姓名,手机号'))).toBe('姓名,手机号')
    expect(decodeCsv(Buffer.from([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名') // GBK
    expect(decodeCsv(utf16('姓名\t手机号', true))).toBe('姓名\t手机号')
    expect(decodeCsv(utf16('姓名\t手机号', false))).toBe('姓名\t手机号')
  })

  it('refuses a binary file or a workbook sent as CSV', () => {
    expect(() => decodeCsv(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toThrow('不是文本格式的 CSV')
    expect(() => decodeCsv(base)).toThrow('扩展名改为 .xlsx')
    expect(() => decodeCsv(utf16('a\u0000b', true))).toThrow('不是文本格式的 CSV')
  })

  it('stops at the first row past the limits', () => {
    expect(parseCsv(Buffer.from('a,b\n\n1,2\n'), small)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(() => parseCsv(Buffer.from('x\n'.repeat(11)), small)).toThrow('表格行数超过 10 行，')
    expect(() => parseCsv(Buffer.from('a,b,c,d,e,f\n'), small)).toThrow('表格列数超过 5 列，')
    expect(() => parseCsv(Buffer.from(`a,b\n1,${'长'.repeat(2001)}\n`), small)).toThrow('第 2 行有一个单元格超过 2000 字')
    expect(() => parseCsv(Buffer.from(`"${'x'.repeat(3000)}`), small)).toThrow('超过 2000 字')
  })
})

describe('OneAtATime', () => {
  it('runs one at a time in order, lets four wait and turns the next away with 429', async () => {
    const gate = new OneAtATime(4)
    const order: number[] = []
    let release: () => void = () => undefined
    const first = gate.run(() => new Promise<void>((resolve) => (release = resolve)).then(() => order.push(0)))
    const waiting = [1, 2, 3, 4].map((i) => gate.run(async () => order.push(i)))
    const turnedAway = await gate.run(async () => 5).catch((e: unknown) => e)
    expect(turnedAway).toBeInstanceOf(HttpError)
    expect(turnedAway).toMatchObject({ statusCode: 429, code: 'rate_limited' })
    release()
    await Promise.all([first, ...waiting])
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(await gate.run(async () => 'free again')).toBe('free again')
  })

  it('frees the slot when the work fails', async () => {
    const gate = new OneAtATime(0)
    await expect(gate.run(() => Promise.reject(new Error('bad file')))).rejects.toThrow('bad file')
    expect(await gate.run(async () => 1)).toBe(1)
  })
})
