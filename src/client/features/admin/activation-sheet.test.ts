import { describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { activationLines, activationWorkbook } from './activation-sheet.ts'
import type { IssuedCode } from '../../../core/schemas/people.ts'

const code = (name: string, branchName: string, phone: string): IssuedCode => ({
  userId: name,
  name,
  phone,
  branchName,
  code: 'ABCD2345',
  expiresAt: '2026-12-11T16:30:00.000Z',
})

describe('activation codes as a spreadsheet for SMS or mail-merge', () => {
  it('opens in a real xlsx reader: everyone by branch on the first sheet, one sheet per branch, links and ready-to-send text', async () => {
    const lines = activationLines(
      [
        code('冯志远', '机关第二党支部', '13700000001'),
        code('何雪梅', '机关第一党支部', '13700000002'),
        code('刘<芳>&', '机关第一党支部', '13700000003'),
      ],
      'https://dj.example.org',
    )
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(activationWorkbook(lines).buffer as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(['全部', '机关第一党支部', '机关第二党支部'])
    const all = wb.getWorksheet('全部')!
    expect(all.getRow(1).values).toEqual([undefined, '所在支部', '姓名', '手机号', '激活码', '有效期至', '激活链接', '短信内容'])
    expect(all.getRow(2).values).toEqual([
      undefined,
      '机关第一党支部',
      '何雪梅',
      '13700000002',
      'ABCD2345',
      '2026-12-12',
      'https://dj.example.org/activate?phone=13700000002&code=ABCD2345',
      '【党建随行】何雪梅同志：请用手机打开 https://dj.example.org/activate?phone=13700000002&code=ABCD2345 ，核对手机号后设置您自己的登录密码（激活码 ABCD2345，2026-12-12前有效）。',
    ])
    expect(all.getCell('B3').value).toBe('刘<芳>&')
    expect(wb.getWorksheet('机关第二党支部')!.getCell('B2').value).toBe('冯志远')
  })
})
