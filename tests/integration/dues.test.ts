import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { declareDues, recordReceipt, voidReceipt } from '../../src/client/features/dues/dues.repo.ts'
import { freshPullDifferences } from './simulation/fresh-pull.ts'
import { newId } from '../../src/core/ids.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'
import { addMonths, monthlyDue, monthOf, quarterMonths, receiptNumber } from '../../src/core/domain/dues-rules.ts'
import { MUTATION_VERSION, type PushResponse } from '../../src/core/sync/protocol.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../src/core/sync/schema-version.ts'
import { createUser } from '../../src/server/repositories/organization.ts'
import { hashPassword } from '../../src/server/lib/passwords.ts'
import { backup, restore } from '../../src/server/ops/backup.ts'
import { PASSWORD } from './harness.ts'

/**
 * 党费 end to end over the real server and the sync engine: the 收缴员 records offline and the
 * member sees the receipt after sync; a receipt recorded twice (two phones) is stored once; the
 * rules are enforced on the server; the ledger and the personal export carry what was paid.
 */
let server: TestServer
let org: Org
const collectorPhone = '13700000011'
let collectorId = ''
const today = chinaToday(new Date())
const month = monthOf(today)
const fromMonth = addMonths(month, -9)
const BASE = 450050 // 4500.50 元: 1% → 45.0050 → 45.01 元
const due = monthlyDue('in_service', BASE, month).dueFen

const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  collectorId = await createUser(server.handle.db, {
    orgId: org.orgId,
    branchId: org.branchA,
    name: '钱收缴',
    phone: collectorPhone,
    role: 'member',
    passwordHash: await hashPassword(PASSWORD),
  })
  const secretary = await signIn(server, org.secretaryA.phone)
  const res = await secretary(`${server.url}/api/dues/collector/${org.branchA}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberId: collectorId }),
  })
  expect(res.status).toBe(200)
  // The member declares their base on their own phone.
  const member = await device(server, org.memberA.phone)
  await declareDues(
    member.db,
    member.user,
    { id: member.user.id, branchId: org.branchA },
    {
      category: 'in_service',
      baseFen: BASE,
      fromMonth,
      checkedOn: today,
    },
  )
  await sync(member)
})
afterAll(() => server.close())

describe('党费 over sync', () => {
  it('a quarter recorded offline by the 收缴员 reaches the member as a receipt after sync', async () => {
    const collector = await device(server, collectorPhone)
    await sync(collector)
    await expect(collector.db.dues_profiles.get(org.memberA.id)).resolves.toMatchObject({ baseFen: BASE })
    // Offline: nothing leaves the phone until sync.
    const q = quarterMonths(month).filter((m) => m >= fromMonth)
    const receipt = await recordReceipt(collector.db, collector.user, await collector.db.dues_profiles.get(org.memberA.id), {
      memberId: org.memberA.id,
      branchId: org.branchA,
      kind: 'quarterly',
      months: q,
      method: 'cash',
      receivedOn: today,
      notes: '',
    })
    expect(receipt.amountFen).toBe(q.reduce((a, m) => a + monthlyDue('in_service', BASE, m).dueFen, 0))
    expect(receipt.receiptNo).toBe(receiptNumber(receipt.id, today))
    expect(await collector.db.outbox.count()).toBe(1)
    await sync(collector)
    expect(await collector.db.outbox.count()).toBe(0)
    // 操作日志: who took which money, from which device.
    const logged = await server.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'dues_receipt')
      .where('target_id', '=', org.memberA.id)
      .execute()
    expect(logged).toHaveLength(1)
    expect(logged[0]?.actor_id).toBe(collectorId)
    expect(logged[0]?.summary).toContain(receipt.receiptNo)
    expect(logged[0]?.summary).toContain('现金')

    const member = await device(server, org.memberA.phone)
    await sync(member)
    const mine = await member.db.dues_payments.toArray()
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ receiptNo: receipt.receiptNo, amountFen: receipt.amountFen, months: q, collectorId, kind: 'quarterly' })
    // A peer of the branch sees nothing of it.
    const peer = await device(server, org.memberA2.phone)
    await sync(peer)
    expect(await peer.db.dues_payments.count()).toBe(0)
    expect(await peer.db.dues_profiles.count()).toBe(0)
    for (const [name, d] of [
      ['collector', collector],
      ['member', member],
      ['peer', peer],
    ] as const)
      expect(await freshPullDifferences(name, d.db, d.api)).toEqual([])
    // A mistaken receipt voided is in the log too.
    const mistaken = await recordReceipt(collector.db, collector.user, await collector.db.dues_profiles.get(org.memberA.id), {
      memberId: org.memberA.id,
      branchId: org.branchA,
      kind: 'special',
      months: [],
      method: 'transfer',
      receivedOn: today,
      notes: '录错',
      amountFen: 100,
    })
    await sync(collector)
    await voidReceipt(collector.db, mistaken.id)
    await sync(collector)
    const voided = await server.handle.db
      .selectFrom('audit_log')
      .select(['actor_id', 'summary'])
      .where('action', '=', 'dues_void')
      .execute()
    expect(voided).toEqual([{ actor_id: collectorId, summary: expect.stringContaining(mistaken.receiptNo) }])
  })

  it('the same payment recorded offline on two phones of the 收缴员 is stored once', async () => {
    const phoneA = await device(server, collectorPhone)
    const phoneB = await device(server, collectorPhone)
    await sync(phoneA)
    await sync(phoneB)
    const arrears = addMonths(month, -4)
    const input = {
      memberId: org.memberA.id,
      branchId: org.branchA,
      kind: 'arrears' as const,
      months: [arrears],
      method: 'transfer' as const,
      receivedOn: today,
      notes: '',
    }
    const profile = await phoneA.db.dues_profiles.get(org.memberA.id)
    await recordReceipt(phoneA.db, phoneA.user, profile, input)
    await recordReceipt(phoneB.db, phoneB.user, profile, input)
    await sync(phoneA)
    await sync(phoneB)
    const stored = await server.handle.db
      .selectFrom('dues_payments')
      .select(['id', 'months'])
      .where('member_id', '=', org.memberA.id)
      .where('deleted', '=', 0)
      .execute()
    expect(stored.filter((p) => (JSON.parse(p.months) as string[]).includes(arrears))).toHaveLength(1)
    // The second phone is told why, keeps what was typed in 同步详情, and holds what the server holds.
    const refused = await phoneB.db.rejected.toArray()
    expect(refused).toHaveLength(1)
    expect(refused[0]?.code).toBe('conflict')
    expect(refused[0]?.message).toContain('已登记')
    await sync(phoneA)
    await sync(phoneB)
    expect(await freshPullDifferences('phoneA', phoneA.db, phoneA.api)).toEqual([])
    expect(await freshPullDifferences('phoneB', phoneB.db, phoneB.api)).toEqual([])
    // And on the phone itself, the month already paid is refused before it is queued.
    await expect(recordReceipt(phoneA.db, phoneA.user, profile, input)).rejects.toThrow(/已登记/)
  })
})

describe('党费 rules on the server', () => {
  const push = async (fields: Record<string, unknown>) => {
    const f = await signIn(server, collectorPhone)
    const res = await f(`${server.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
      body: JSON.stringify({
        clientId: newId(),
        mutations: [
          {
            id: newId(),
            table: 'dues_payments',
            op: 'upsert',
            rowId: newId(),
            base: {},
            clientTime: '',
            v: MUTATION_VERSION,
            fields: {
              memberId: org.memberA.id,
              method: 'cash',
              receivedOn: today,
              notes: '',
              createdAt: new Date().toISOString(),
              ...fields,
            },
          },
        ],
      }),
    })
    return ((await res.json()) as PushResponse).results[0]
  }
  const dues = (months: string[]) => months.reduce((a, m) => a + monthlyDue('in_service', BASE, m).dueFen, 0)

  it('补交 at most 6 months back: the 7th is refused, the 6th accepted', async () => {
    const seventh = addMonths(month, -7)
    expect(await push({ kind: 'arrears', months: [seventh], amountFen: dues([seventh]) })).toMatchObject({
      status: 'rejected',
      code: 'validation',
    })
    const sixth = addMonths(month, -6)
    expect(await push({ kind: 'arrears', months: [sixth], amountFen: dues([sixth]) })).toMatchObject({ status: 'applied' })
  })

  it('the amount must be the dues of the months to the 分', async () => {
    const m = addMonths(month, -5)
    const r = await push({ kind: 'arrears', months: [m], amountFen: dues([m]) + 1 })
    expect(r).toMatchObject({ status: 'rejected', code: 'conflict' })
    expect(r?.message).toContain('应交')
    expect(due).toBe(4501)
  })

  it('按月 is the month received; months before the member owes are refused', async () => {
    expect(await push({ kind: 'monthly', months: [addMonths(month, -1)], amountFen: due })).toMatchObject({ code: 'validation' })
    const before = addMonths(fromMonth, -1)
    expect(await push({ kind: 'arrears', months: [before], amountFen: dues([before]) })).toMatchObject({ status: 'rejected' })
  })

  it('特殊党费 covers no month and may be given more than once', async () => {
    expect(await push({ kind: 'special', months: [], amountFen: 50000, notes: '抗洪救灾' })).toMatchObject({ status: 'applied' })
    expect(await push({ kind: 'special', months: [], amountFen: 20000 })).toMatchObject({ status: 'applied' })
    expect(await push({ kind: 'special', months: [month], amountFen: 100 })).toMatchObject({ code: 'validation' })
  })

  it('a 预备党员 owes from the month the 支部大会 admitted them', async () => {
    await server.handle.db
      .updateTable('users')
      .set({ joined_party_on: `${month}-01` })
      .where('id', '=', org.memberA2.id)
      .execute()
    const f = await signIn(server, collectorPhone)
    const res = await f(`${server.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
      body: JSON.stringify({
        clientId: newId(),
        mutations: [
          {
            id: newId(),
            table: 'dues_profiles',
            op: 'upsert',
            rowId: org.memberA2.id,
            base: {},
            clientTime: '',
            v: MUTATION_VERSION,
            fields: { memberId: org.memberA2.id, category: 'student', baseFen: null, fromMonth: addMonths(month, -1), checkedOn: today },
          },
        ],
      }),
    })
    const r = ((await res.json()) as PushResponse).results[0]
    expect(r).toMatchObject({ status: 'rejected', code: 'validation' })
    expect(r?.message).toContain('预备党员')
  })
})

describe('党费收缴台账 and the personal export', () => {
  it('lists per member per month the base, rate, due, paid, date and receipt; monthly and yearly totals; 特殊党费 apart', async () => {
    const secretary = await signIn(server, org.secretaryA.phone)
    const year = Number(month.slice(0, 4))
    const res = await secretary(`${server.url}/api/dues-ledger/${org.branchA}/${year}.xlsx`)
    expect(res.status).toBe(200)
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('党费收缴台账')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['党费收缴', '月度汇总', '特殊党费'])
    const rows = (wb.getWorksheet('党费收缴')?.getSheetValues().slice(3) ?? []).filter(Boolean) as unknown[][]
    const thisMonth = rows.find((r) => r[1] === '张三' && r[2] === `${year}年${Number(month.slice(5))}月`)
    expect(thisMonth?.slice(3, 11)).toEqual([
      '在职党员',
      4500.5,
      '1%',
      45.01,
      45.01,
      '按季',
      expect.any(Date),
      expect.stringMatching(/^DF\d{8}-/),
    ])
    // Someone with no declaration is listed as such; nobody is ranked.
    expect(rows.some((r) => r[1] === '王书记' && r[2] === '未申报党费基数')).toBe(true)
    const totals = (wb.getWorksheet('月度汇总')?.getSheetValues().slice(3) ?? []).filter(Boolean) as unknown[][]
    expect(totals.find((r) => r[1] === '全年合计')).toBeTruthy()
    expect(totals.find((r) => r[1] === '特殊党费（另列）')?.[3]).toBe(700)
    const special = (wb.getWorksheet('特殊党费')?.getSheetValues().slice(3) ?? []).filter(Boolean) as unknown[][]
    expect(special.filter((r) => r[1] === '张三').map((r) => r[3])).toEqual([500, 200])
    expect(special.at(-1)?.[3]).toBe(700)
    // The special dues are not in the monthly totals.
    const yearRow = totals.find((r) => r[1] === '全年合计') as unknown[]
    const paidMonths = rows.filter((r) => r[1] === '张三' && typeof r[7] === 'number').length
    expect(yearRow[3]).toBeCloseTo((paidMonths * due) / 100, 2)
  })

  it('已交 in the ledger is what the receipt recorded for the month (its monthlyFen), never recomputed', async () => {
    const db = server.handle.db
    const pay = await db
      .selectFrom('dues_payments')
      .select(['id', 'monthly_fen'])
      .where('member_id', '=', org.memberA.id)
      .where('kind', '=', 'quarterly')
      .executeTakeFirstOrThrow()
    // A receipt taken under an earlier amount (an older rule, say): the ledger lists what was taken.
    await db.updateTable('dues_payments').set({ monthly_fen: 4200 }).where('id', '=', pay.id).execute()
    try {
      const secretary = await signIn(server, org.secretaryA.phone)
      const year = Number(month.slice(0, 4))
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(await (await secretary(`${server.url}/api/dues-ledger/${org.branchA}/${year}.xlsx`)).arrayBuffer())
      const rows = (wb.getWorksheet('党费收缴')?.getSheetValues().slice(3) ?? []).filter(Boolean) as unknown[][]
      const thisMonth = rows.find((r) => r[1] === '张三' && r[2] === `${year}年${Number(month.slice(5))}月`)
      expect(thisMonth?.slice(6, 9)).toEqual([45.01, 42, '按季'])
    } finally {
      await db.updateTable('dues_payments').set({ monthly_fen: pay.monthly_fen }).where('id', '=', pay.id).execute()
    }
  })

  it("the member's personal export carries their declaration and receipts", async () => {
    const member = await signIn(server, org.memberA.phone)
    const data = (await (await member(`${server.url}/api/me/export`)).json()) as {
      dues: { profile: { baseFen: number } | null; payments: { receiptNo: string; amountFen: number }[] }
    }
    expect(data.dues.profile?.baseFen).toBe(BASE)
    expect(data.dues.payments.length).toBeGreaterThanOrEqual(4)
    const xlsx = await member(`${server.url}/api/me/export.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await xlsx.arrayBuffer())
    expect(wb.getWorksheet('党费')?.rowCount).toBe(1 + 1 + data.dues.payments.length)
  })

  it('a declaration follows the member who moves; a 收缴员 who moves is no longer the branch 收缴员', async () => {
    const admin = await signIn(server, org.admin.phone)
    const move = (id: string) =>
      admin(`${server.url}/api/admin/people/${id}/move`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ branchId: org.branchB, date: today }),
      })
    expect((await move(org.memberA.id)).status).toBe(200)
    const p = await server.handle.db.selectFrom('dues_profiles').select('branch_id').where('id', '=', org.memberA.id).executeTakeFirst()
    expect(p?.branch_id).toBe(org.branchB)
    // Receipts stay with the branch they were paid to.
    const paid = await server.handle.db.selectFrom('dues_payments').select('branch_id').where('member_id', '=', org.memberA.id).execute()
    expect(paid.every((x) => x.branch_id === org.branchA)).toBe(true)
    expect((await move(collectorId)).status).toBe(200)
    const b = await server.handle.db.selectFrom('branches').select('dues_collector_id').where('id', '=', org.branchA).executeTakeFirst()
    expect(b?.dues_collector_id).toBeNull()
  })
})

describe('党费 after a server restore', () => {
  it("the 收缴员's phone sends back the declarations and receipts the restored server lost; the member sees them again", async () => {
    const s = await startServer()
    try {
      const o = await seedOrg(s.handle)
      const cId = await createUser(s.handle.db, {
        orgId: o.orgId,
        branchId: o.branchA,
        name: '钱收缴',
        phone: '13700000021',
        role: 'member',
        passwordHash: await hashPassword(PASSWORD),
      })
      await s.handle.db.updateTable('branches').set({ dues_collector_id: cId }).where('id', '=', o.branchA).execute()
      const collector = await device(s, '13700000021')
      await sync(collector)
      const { dir } = await backup({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, outDir: join(s.dataDir, 'backups') })
      // After the backup: a declaration from the payroll sheet and a receipt, acknowledged.
      const profile = await declareDues(
        collector.db,
        collector.user,
        { id: o.memberA.id, branchId: o.branchA },
        {
          category: 'retired',
          baseFen: 500001,
          fromMonth: month,
          checkedOn: today,
        },
      )
      const receipt = await recordReceipt(collector.db, collector.user, profile, {
        memberId: o.memberA.id,
        branchId: o.branchA,
        kind: 'monthly',
        months: [month],
        method: 'cash',
        receivedOn: today,
        notes: '',
      })
      expect(receipt.amountFen).toBe(5000)
      expect(await sync(collector)).toEqual({ ok: true })
      await s.restartAfter(async () => {
        await restore({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, from: dir })
      })
      expect(await s.handle.db.selectFrom('dues_payments').select('id').execute()).toHaveLength(0)
      for (let i = 0; i < 3; i++) await sync(collector)
      const back = await s.handle.db.selectFrom('dues_payments').selectAll().execute()
      expect(back.map((p) => [p.id, p.receipt_no, p.amount_fen])).toEqual([[receipt.id, receipt.receiptNo, 5000]])
      expect(await s.handle.db.selectFrom('dues_paid_months').selectAll().execute()).toHaveLength(1)
      const member = await device(s, o.memberA.phone)
      await sync(member)
      expect((await member.db.dues_payments.toArray()).map((p) => p.receiptNo)).toEqual([receipt.receiptNo])
      expect(await freshPullDifferences('collector', collector.db, collector.api)).toEqual([])
    } finally {
      await s.close()
    }
  })
})
