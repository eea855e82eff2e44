import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unzipSync } from 'fflate'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import type { ImportPreview } from '../../src/core/schemas/people.ts'
import { bombXlsx, rosterXlsx, rowsXml, sheetXml, withParts } from './support/xlsx-files.ts'

/**
 * A small upload must not take the server down: every roster file past the limits of
 * src/server/services/admin/roster-limits.ts is refused with 413 or 422 and a Chinese message, quickly,
 * and the server answers the next request as usual.
 */

let server: TestServer
let org: Org
let secretary: FetchFn

const HEADER = ['姓名', '手机号', '所在支部', '人员类别', '入党日期', '转正日期', '备注']
const PERSON = ['新党员', '13600000001', '第一党支部', '正式党员', '2020-07-01', '2021-07-01', '']
let roster: Buffer

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  secretary = await signIn(server, org.secretaryA.phone)
  roster = await rosterXlsx([HEADER, PERSON])
})
afterAll(() => server.close())

const send = (path: string, fileName: string, file: Buffer, f: FetchFn = secretary) =>
  f(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileName, content: file.toString('base64') }),
  })

async function refused(fileName: string, file: Buffer, status: 413 | 422, message: RegExp, path = '/api/admin/import/preview') {
  const res = await send(path, fileName, file)
  const body = (await res.json()) as { error?: { code: string; message: string } }
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code: status === 413 ? 'payload_too_large' : 'validation' })
  expect(body.error?.message).toMatch(message)
  expect(body.error?.message).toMatch(/[\u4e00-\u9fff]/)
  await expectAlive()
}

/** The server still reads a normal roster afterwards. */
async function expectAlive() {
  const res = await send('/api/admin/import/preview', '花名册.xlsx', roster)
  expect(res.status).toBe(200)
  const preview = (await res.json()) as ImportPreview
  expect(preview).toMatchObject({ rows: [{ name: '新党员', phone: '13600000001' }], problems: [] })
}

describe('xlsx past the limits', () => {
  it('refuses a 230 KB zip bomb (one cell of 200 MB) with 413, from the preview and from apply', async () => {
    const bomb = await bombXlsx(roster, 200)
    expect(bomb.length).toBeLessThan(300 * 1024)
    await refused('花名册.xlsx', bomb, 413, /文件解压后过大（超过 16 MB）/)
    await refused('花名册.xlsx', bomb, 413, /文件解压后过大/, '/api/admin/import/apply')
  })

  it('refuses a part whose declared size lies (says 1 KB, inflates to 200 MB)', async () => {
    await refused('花名册.xlsx', await bombXlsx(roster, 200, 1024), 422, /文件已损坏/)
  })

  it('refuses more than 5,000 rows or 60 columns, and more than 100 parts', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${i}</v></c></row>`).join('')
    await refused(
      '花名册.xlsx',
      withParts(roster, { 'xl/worksheets/sheet1.xml': sheetXml(rowsXml([HEADER]) + rows) }),
      422,
      /行数超过 5000 行/,
    )
    const wide = [...HEADER, ...Array.from({ length: 54 }, (_, i) => `列${i}`)]
    await refused(
      '花名册.xlsx',
      withParts(roster, { 'xl/worksheets/sheet1.xml': sheetXml(rowsXml([wide, PERSON])) }),
      422,
      /列数超过 60 列/,
    )
    const parts = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`customXml/item${i}.xml`, '<a/>']))
    await refused('花名册.xlsx', withParts(roster, parts), 413, /部件过多（超过 100 个）/)
  })

  it('refuses a 7 KB file whose merged range or defined name spans the whole sheet (exceljs would create billions of cells)', async () => {
    const sheet = sheetXml(rowsXml([HEADER, PERSON]), '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>')
    await refused('花名册.xlsx', withParts(roster, { 'xl/worksheets/sheet1.xml': sheet }), 422, /行数超过 5000 行/)
    const workbook = Buffer.from(unzipSync(roster)['xl/workbook.xml'] ?? new Uint8Array()).toString()
    const named = workbook.replace(
      /<definedNames\/>|<\/sheets>/,
      (m) => `${m === '</sheets>' ? m : ''}<definedNames><definedName name="x">花名册!$A$1:$XFD$1048576</definedName></definedNames>`,
    )
    await refused('花名册.xlsx', withParts(roster, { 'xl/workbook.xml': named }), 422, /定义的名称/)
  })

  it('reads a roster whose column format or drop-down spans the whole sheet, ignoring both', async () => {
    const wholeSheet = sheetXml(
      rowsXml([HEADER, PERSON]),
      '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"正式党员,预备党员"</formula1></dataValidation></dataValidations>',
    ).replace('<sheetData>', '<cols><col min="1" max="300000000" width="9"/></cols><sheetData>')
    const res = await send('/api/admin/import/preview', '花名册.xlsx', withParts(roster, { 'xl/worksheets/sheet1.xml': wholeSheet }))
    expect(res.status).toBe(200)
    expect(((await res.json()) as ImportPreview).rows).toHaveLength(1)
  })
})

describe('CSV past the limits', () => {
  it('refuses a CSV of 600,000 rows without reading past row 5,000', async () => {
    await refused('花名册.csv', Buffer.from(`${HEADER.join(',')}\n${'1\n'.repeat(600_000)}`), 422, /行数超过 5000 行/)
  })

  it('refuses a CSV with one enormous field, or with a row of 100 columns', async () => {
    await refused(
      '花名册.csv',
      Buffer.from(`${HEADER.join(',')}\n${PERSON.slice(0, 6).join(',')},${'备'.repeat(400_000)}\n`),
      422,
      /第 2 行有一个单元格超过 2000 字/,
    )
    await refused('花名册.csv', Buffer.from(`${HEADER.join(',')}\n${PERSON.join(',')}${','.repeat(100)}\n`), 422, /列数超过 60 列/)
  })

  it('refuses a binary file, or a workbook, sent as CSV', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64 * 1024, 7)])
    await refused('花名册.csv', png, 422, /不是文本格式的 CSV/)
    await refused('花名册.csv', roster, 422, /扩展名改为 \.xlsx/)
  })

  it('reads a CSV saved as UTF-16 (Excel’s “Unicode text”)', async () => {
    const text = `${HEADER.join('\t')}\n${PERSON.join('\t')}\n`
    const res = await send(
      '/api/admin/import/preview',
      '花名册.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    )
    expect(res.status).toBe(200)
    expect(((await res.json()) as ImportPreview).rows).toMatchObject([{ name: '新党员', phone: '13600000001' }])
  })
})

describe('request bodies', () => {
  it('(guard) a gzip-encoded body that inflates to 50 MB is cut off at the body limit with 413', async () => {
    const body = gzipSync(Buffer.alloc(50 * 1024 * 1024, 32), { level: 9 })
    const res = await secretary(`${server.url}/api/admin/import/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
    await expectAlive()
  })
})
