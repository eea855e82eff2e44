import { crc32, createDeflateRaw } from 'node:zlib'
import ExcelJS from 'exceljs'
import { unzipSync, Zip, ZipPassThrough, zipSync, type ZipInputFile } from 'fflate'

/**
 * Hostile and odd xlsx files for the roster-import limits, built cheaply: a zip bomb is deflated
 * by zlib in 1 MB pieces (never held whole) and put into the zip as it is.
 */

/** A small real roster as Excel would have it. */
export async function rosterXlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('花名册')
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** The same xlsx with some parts replaced or added (a value of null removes the part). */
export function withParts(xlsx: Buffer, parts: Record<string, string | Uint8Array | null>): Buffer {
  const files = unzipSync(xlsx)
  for (const [name, data] of Object.entries(parts)) {
    if (data === null) delete files[name]
    else files[name] = typeof data === 'string' ? Buffer.from(data) : new Uint8Array(data)
  }
  return Buffer.from(zipSync(files))
}

/** A worksheet part with the given `<sheetData>` content (and anything to follow it). */
export function sheetXml(sheetData: string, after = ''): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>${sheetData}</sheetData>${after}</worksheet>`
}

/** Column letters of a 1-based column number. */
export function columnName(n: number): string {
  let s = ''
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s
  return s
}

/** `<row>`s of inline-string cells. */
export function rowsXml(rows: string[][], firstRow = 1): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return rows
    .map(
      (cells, i) =>
        `<row r="${firstRow + i}">${cells.map((v, c) => `<c r="${columnName(c + 1)}${firstRow + i}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`,
    )
    .join('')
}

/**
 * `base` with its first worksheet replaced by one that inflates to about `inflatedMB` MB: one cell
 * of repeated characters, as a zip bomb is made. With `declaredBytes` the zip states that size for
 * it instead of the true one (a lying entry). The rest of the parts stay as they were.
 */
export async function bombXlsx(base: Buffer, inflatedMB: number, declaredBytes?: number): Promise<Buffer> {
  const head = Buffer.from(sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>').replace(/<\/sheetData><\/worksheet>$/, ''))
  const tail = Buffer.from('</t></is></c></row></sheetData></worksheet>')
  const filler = Buffer.alloc(1024 * 1024, 'a')
  const deflate = createDeflateRaw({ level: 9 })
  const compressed: Buffer[] = []
  deflate.on('data', (c: Buffer) => compressed.push(c))
  const done = new Promise((resolve) => deflate.on('end', resolve))
  let crc = crc32(head)
  let size = head.length
  const write = async (b: Buffer) => {
    crc = crc32(b, crc)
    size += b.length
    if (!deflate.write(b)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.write(head)
  for (let i = 0; i < inflatedMB; i++) await write(filler)
  await write(tail)
  deflate.end()
  await done

  const others = unzipSync(base, { filter: (f) => f.name !== 'xl/worksheets/sheet1.xml' })
  const out: Uint8Array[] = []
  const zip = new Zip((err, chunk) => {
    if (err) throw err
    out.push(chunk)
  })
  for (const [name, data] of Object.entries(others)) {
    const file = new ZipPassThrough(name)
    zip.add(file)
    file.push(data, true)
  }
  const sheet: ZipInputFile = { filename: 'xl/worksheets/sheet1.xml', size: declaredBytes ?? size, crc, compression: 8 }
  zip.add(sheet)
  sheet.ondata?.(null, Buffer.concat(compressed), true)
  zip.end()
  return Buffer.concat(out)
}
