import type ExcelJS from 'exceljs'
import type { FastifyReply } from 'fastify'

/**
 * Ledger sheets as inspections read them: a title row (unit, year, what), the header below it,
 * both repeated on every printed page, landscape on A4 and as wide as the page; dates as real
 * dates (China time), not text.
 */
export function titledSheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  columns: { header: string; key: string; width: number; date?: 'day' | 'time' }[],
): ExcelJS.Worksheet {
  const sheet = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:2',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `${title} 第 &P 页，共 &N 页` },
    views: [{ state: 'frozen', ySplit: 2 }],
  })
  sheet.columns = columns.map((c) => ({
    key: c.key,
    width: c.width,
    ...(c.date && { style: { numFmt: c.date === 'day' ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm' } }),
  }))
  sheet.addRow([title])
  sheet.mergeCells(1, 1, 1, columns.length)
  const top = sheet.getRow(1)
  top.font = { bold: true, size: 14 }
  top.alignment = { horizontal: 'center', vertical: 'middle' }
  top.height = 24
  const header = sheet.addRow(columns.map((c) => c.header))
  header.font = { bold: true }
  header.alignment = { vertical: 'middle', wrapText: true }
  return sheet
}

const OFFSET_MS = 8 * 60 * 60 * 1000

/** A moment as an Excel date-time showing China wall-clock time (Excel has no time zones). */
export const chinaCellTime = (iso: string | null): Date | null => (iso ? new Date(Date.parse(iso) + OFFSET_MS) : null)

/** A calendar day (YYYY-MM-DD) as an Excel date. */
export const cellDay = (day: string | null): Date | null => (day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : null)

/** Wrap long text in the given columns of every data row (from row 3). */
export function wrapColumns(sheet: ExcelJS.Worksheet, keys: readonly string[]): void {
  for (const key of keys) sheet.getColumn(key).alignment = { wrapText: true, vertical: 'top' }
}

/** Send a workbook as a download, its (Chinese) file name encoded for every browser. */
export function sendXlsx(reply: FastifyReply, fileName: string, workbook: Buffer): FastifyReply {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(workbook)
}
