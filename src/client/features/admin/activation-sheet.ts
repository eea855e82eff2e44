import { strToU8, zipSync } from 'fflate'
import type { IssuedCode } from '../../../core/schemas/people.ts'
import { sortOrgUnits } from '../../../core/domain/order.ts'

/**
 * Activation codes for SMS or mail-merge: an .xlsx made on the phone from the codes just shown
 * (the server keeps only their hashes), one sheet with everyone by branch and one per branch.
 * Written by hand (a few XML parts zipped), so the admin pages do not carry a spreadsheet library.
 */

export interface ActivationLine {
  branch: string
  name: string
  phone: string
  code: string
  link: string
  until: string
  sms: string
}

/** The link a code opens: the activation page with phone and code filled in. */
export const activationLink = (origin: string, c: Pick<IssuedCode, 'phone' | 'code'>): string =>
  `${origin}/activate?phone=${encodeURIComponent(c.phone)}&code=${encodeURIComponent(c.code)}`

/** China date of an ISO moment (YYYY-MM-DD). */
export const chinaDate = (iso: string): string => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10)

export function activationLines(codes: readonly IssuedCode[], origin: string): ActivationLine[] {
  const branchOrder = sortOrgUnits(
    [...new Set(codes.map((c) => c.branchName ?? ''))].map((name, i) => ({ id: String(i).padStart(6, '0'), name })),
  ).map((b) => b.name)
  return [...codes]
    .sort((a, b) => branchOrder.indexOf(a.branchName ?? '') - branchOrder.indexOf(b.branchName ?? ''))
    .map((c) => {
      const link = activationLink(origin, c)
      const until = chinaDate(c.expiresAt)
      return {
        branch: c.branchName ?? '',
        name: c.name,
        phone: c.phone,
        code: c.code,
        link,
        until,
        sms: `【党建随行】${c.name}同志：请用手机打开 ${link} ，核对手机号后设置您自己的登录密码（激活码 ${c.code}，${until}前有效）。`,
      }
    })
}

const HEADERS: [keyof ActivationLine, string, number][] = [
  ['branch', '所在支部', 18],
  ['name', '姓名', 10],
  ['phone', '手机号', 14],
  ['code', '激活码', 12],
  ['until', '有效期至', 12],
  ['link', '激活链接', 60],
  ['sms', '短信内容', 90],
]

/** XML text: markup escaped; control characters XML 1.0 cannot hold dropped. */
const esc = (s: string) =>
  [...s]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 || ch === '\t' || ch === '\n' || ch === '\r')
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
const col = (i: number) => String.fromCharCode(65 + i)
const cell = (ref: string, text: string, style = 0) =>
  `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ''}><is><t xml:space="preserve">${esc(text)}</t></is></c>`

function sheetXml(lines: readonly ActivationLine[]): string {
  const rows = [
    `<row r="1">${HEADERS.map(([, h], i) => cell(`${col(i)}1`, h, 1)).join('')}</row>`,
    ...lines.map((l, r) => `<row r="${r + 2}">${HEADERS.map(([k], i) => cell(`${col(i)}${r + 2}`, l[k])).join('')}</row>`),
  ]
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<cols>${HEADERS.map(([, , w], i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>` +
    `<sheetData>${rows.join('')}</sheetData>` +
    '<pageSetup orientation="landscape" paperSize="9"/>' +
    '</worksheet>'
  )
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base = (name.replace(/[[\]:*?/\\]/g, ' ').trim() || '未分配支部').slice(0, 28)
  let n = base
  for (let i = 2; taken.has(n); i++) n = `${base}${i}`
  taken.add(n)
  return n
}

export function activationWorkbook(lines: readonly ActivationLine[]): Uint8Array {
  const taken = new Set<string>()
  const sheets = [
    { name: sheetName('全部', taken), lines },
    ...[...new Set(lines.map((l) => l.branch))].map((b) => ({ name: sheetName(b, taken), lines: lines.filter((l) => l.branch === b) })),
  ]
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        sheets
          .map(
            (_, i) =>
              `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
        sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        sheets
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join('') +
        `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        '</Relationships>',
    ),
    'xl/styles.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>' +
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
        '</styleSheet>',
    ),
  }
  sheets.forEach((s, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(s.lines))))
  return zipSync(files, { level: 6 })
}
