import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import { newId } from '../../src/core/ids.ts'
import { nextSeq } from '../../src/server/repositories/sequence.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'

let server: TestServer
let org: Org
const today = chinaToday(new Date())
const year = Number(today.slice(0, 4))
const thisMonth = today.slice(0, 7)

async function record(ownerId: string, branchId: string, date: string, title: string, minutes: number): Promise<void> {
  await server.handle.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString()
    await trx
      .insertInto('study_records')
      .values({
        id: newId(),
        owner_id: ownerId,
        branch_id: branchId,
        org_id: org.orgId,
        kind: 'self_study',
        title,
        date,
        minutes,
        notes: '',
        source_url: '',
        created_at: now,
        updated_at: now,
        deleted: 0,
        seq: await nextSeq(trx),
      })
      .execute()
  })
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  // The branch and its people started at the beginning of the year: every month so far is accounted for.
  await server.handle.db
    .updateTable('branches')
    .set({ started_on: `${year}-01-01` })
    .execute()
  await server.handle.db
    .updateTable('users')
    .set({ created_at: `${year - 1}-12-01T00:00:00.000Z` })
    .execute()
  await record(org.memberA.id, org.branchA, `${thisMonth}-01`, '自学《中国共产党章程》', 45)
  await record(org.memberA.id, org.branchA, `${thisMonth}-01`, '学习强国每周答题', 20)
  await record(org.memberB.id, org.branchB, `${thisMonth}-01`, '另一支部的学习', 30)
})
afterAll(() => server.close())

const rowsOf = (sheet: ExcelJS.Worksheet) => (sheet.getSheetValues().slice(3) as unknown[][]).filter(Boolean)

describe('学习台账 of a branch', () => {
  it('downloads as xlsx beside the meeting and visit ledgers: records per member, monthly totals, who recorded nothing', async () => {
    const jar = await signIn(server, org.secretaryA.phone)
    const res = await jar(`${server.url}/api/study-ledger/${org.branchA}/${year}.xlsx`)
    expect(res.status).toBe(200)
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(`第一党支部${year}年学习台账.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['学习记录', '月度汇总', '未记录'])

    const list = wb.getWorksheet('学习记录')!
    expect(list.getCell('A1').value).toBe(`第一党支部${year}年学习台账（学习记录）`)
    expect(list.pageSetup.orientation).toBe('landscape')
    const records = rowsOf(list)
    expect(records.map((r) => [r[1], r[4], r[5]])).toEqual([
      ['张三', '自学《中国共产党章程》', 45],
      ['张三', '学习强国每周答题', 20],
    ])
    expect(records[0]?.[2]).toBeInstanceOf(Date)
    expect(records[0]?.[3]).toBe('个人自学')

    const totals = rowsOf(wb.getWorksheet('月度汇总')!)
    const month = Number(thisMonth.slice(5))
    const zhang = totals.find((r) => r[1] === '张三')
    expect(zhang?.[1 + month]).toBe('2次 65分钟')
    expect(zhang?.[14]).toBe('2次 65分钟')
    // People by name (pinyin), never by how much they studied.
    expect(totals.map((r) => r[1])).toEqual(['李四', '王书记', '张三'])

    const gaps = rowsOf(wb.getWorksheet('未记录')!)
    expect(gaps).toHaveLength(month)
    expect(gaps.at(-1)?.slice(1)).toEqual([`${month}月`, 2, '李四、王书记'])
    if (month > 1) expect(gaps[0]?.slice(1)).toEqual(['1月', 3, '李四、王书记、张三'])

    // No ranking, no percentages anywhere.
    for (const sheet of wb.worksheets) sheet.eachRow((row) => expect(JSON.stringify(row.values)).not.toMatch(/%|排名|名次/))
  })

  it("is the branch secretary's and administrators' only", async () => {
    expect((await (await signIn(server, org.secretaryA.phone))(`${server.url}/api/study-ledger/${org.branchB}/${year}.xlsx`)).status).toBe(
      403,
    )
    expect((await (await signIn(server, org.memberA.phone))(`${server.url}/api/study-ledger/${org.branchA}/${year}.xlsx`)).status).toBe(403)
    expect((await (await signIn(server, org.admin.phone))(`${server.url}/api/study-ledger/${org.branchB}/${year}.xlsx`)).status).toBe(200)
  })
})
