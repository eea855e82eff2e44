import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { cookieFetch, device, seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { createStudy, updateStudy } from '../../src/client/features/study/study.repo.ts'
import { writeRow } from '../../src/client/db/write.ts'
import type { ImportPreview, IssuedCode } from '../../src/core/schemas/people.ts'

let server: TestServer
let org: Org
let admin: FetchFn
let secretary: FetchFn

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  admin = await signIn(server, org.admin.phone)
  secretary = await signIn(server, org.secretaryA.phone)
})
afterAll(() => server.close())

const post = (f: FetchFn, path: string, body: unknown = {}) =>
  f(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const get = (f: FetchFn, path: string) => f(`${server.url}${path}`)
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T
const countUsers = async () =>
  Number(
    (
      await server.handle.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

type Row = [string, string, string, string, string, string, string]
const HEADER: Row = ['姓名', '手机号码', '所在支部', '人员类别', '入党时间', '转正时间', '备注']

async function xlsx(rows: Row[], title?: string): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('花名册')
  if (title) ws.addRow([title])
  ws.addRow(HEADER)
  for (const r of rows) ws.addRow(r.map((c, i) => (i === 4 && /^\d{4}-\d{2}-\d{2}$/.test(c) ? new Date(`${c}T00:00:00Z`) : c)))
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
}

/** 300 members over both branches, with faults at chosen rows (spreadsheet row = index + 3 with a title row). */
function roster(faults: boolean): Row[] {
  return Array.from({ length: 300 }, (_, i): Row => {
    const phone = `1370000${String(i).padStart(4, '0')}`
    const row: Row = [
      `导入党员${i}`,
      phone,
      i % 2 ? '第一党支部' : '第二党支部',
      i % 10 === 0 ? '预备党员' : '正式党员',
      '2005-07-01',
      i % 10 === 0 ? '' : '2006.7.1',
      '',
    ]
    if (!faults) return row
    if (i === 4) row[1] = '1370000abc'
    if (i === 9) row[2] = '第九党支部'
    if (i === 19) row[1] = '13700000002' // same as row of i = 2
    if (i === 29) row[1] = org.memberA.phone // already has an account
    if (i === 39) row[4] = '2005-13-45'
    if (i === 49) row[5] = '2004年7月1日' // 转正 before 入党
    if (i === 59) row[3] = '积极分子'
    if (i === 69) row[0] = ''
    return row
  })
}

describe('roster import', () => {
  it('previews a 300-row roster with deliberate faults: the exact problem list, nothing written', async () => {
    const before = await countUsers()
    const content = await xlsx(roster(true), '中共示范机关委员会党员花名册')
    const preview = await json<ImportPreview>(post(admin, '/api/admin/import/preview', { fileName: '花名册.xlsx', content }))
    expect(preview.rows).toHaveLength(300)
    expect(preview.problems).toEqual([
      { row: 7, column: '手机号', message: '手机号“1370000abc”不是 11 位手机号' },
      { row: 22, column: '手机号', message: '与第 5 行手机号重复' },
      { row: 32, column: '手机号', message: '该手机号已有账号' },
      { row: 42, column: '入党日期', message: '入党日期无法识别（例：2006-07-01 或 2006年7月）' },
      { row: 52, column: '转正日期', message: '转正日期应晚于入党日期' },
      { row: 62, column: '人员类别', message: '人员类别应为“正式党员”或“预备党员”' },
      { row: 72, column: '姓名', message: '缺少姓名' },
    ])
    // A branch the file names that does not exist yet is offered for creation, not refused.
    expect(preview.create).toEqual({ branches: ['第九党支部'], groups: [] })
    const applied = await post(admin, '/api/admin/import/apply', { fileName: '花名册.xlsx', content })
    expect(applied.status).toBe(422)
    expect(((await applied.json()) as { error: { message: string } }).error.message).toContain('7 处问题，未写入任何数据')
    expect(await countUsers()).toBe(before)
  })

  it('writes all 300 of the corrected roster in one go, each with a one-time activation code', async () => {
    const before = await countUsers()
    const content = await xlsx(roster(false))
    const preview = await json<ImportPreview>(post(admin, '/api/admin/import/preview', { fileName: '花名册.xlsx', content }))
    expect(preview.problems).toEqual([])
    const res = await json<{ created: number; activations: IssuedCode[] }>(
      post(admin, '/api/admin/import/apply', { fileName: '花名册.xlsx', content }),
    )
    expect(res.created).toBe(300)
    expect(new Set(res.activations.map((a) => a.code)).size).toBe(300)
    expect(await countUsers()).toBe(before + 300)
    const one = await server.handle.db.selectFrom('users').selectAll().where('phone', '=', '13700000010').executeTakeFirstOrThrow()
    expect(one).toMatchObject({
      name: '导入党员10',
      status: 'probationary',
      joined_party_on: '2005-07-01',
      full_member_on: null,
      activated: 0,
      branch_id: org.branchB,
    })
    // Importing the same file again finds every phone taken and writes nothing.
    const again = await json<ImportPreview>(post(admin, '/api/admin/import/preview', { fileName: '花名册.xlsx', content }))
    expect(again.problems).toHaveLength(300)
    const log = await server.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'import_apply').execute()
    expect(log.map((l) => l.summary)).toEqual(['导入花名册 花名册.xlsx：300 人'])
  })

  it('a secretary imports into their own branch only, from a GBK-encoded CSV as Excel saves it', async () => {
    const csv = '姓名,手机号,所在支部,入党日期\n新党员甲,13600000001,,2020-07-01\n新党员乙,13600000002,第二党支部,2020-07-01\n'
    const gbk = Buffer.from(new TextEncoder().encode(csv)) // UTF-8 first
    const preview = await json<ImportPreview>(
      post(secretary, '/api/admin/import/preview', { fileName: 'roster.csv', content: gbk.toString('base64') }),
    )
    expect(preview.problems).toEqual([{ row: 3, column: '所在支部', message: '只能导入本支部（第一党支部）的人员' }])
    const member = await signIn(server, org.memberA.phone)
    expect((await post(member, '/api/admin/import/preview', { fileName: 'roster.csv', content: gbk.toString('base64') })).status).toBe(403)
  })

  it('refuses a file that is not a roster with a clear message', async () => {
    const res = await post(admin, '/api/admin/import/preview', { fileName: 'x.xlsx', content: Buffer.from('not a zip').toString('base64') })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('无法读取该 xlsx 文件')
    const noHeader = await post(admin, '/api/admin/import/preview', {
      fileName: 'x.csv',
      content: Buffer.from('a,b\n1,2\n').toString('base64'),
    })
    expect(((await noHeader.json()) as { error: { message: string } }).error.message).toContain('找不到表头')
  })
})

describe('activation', () => {
  it('a new member sets their own password with the code once; nobody else ever sees it', async () => {
    const created = await json<{ activation: IssuedCode }>(
      post(secretary, '/api/admin/people', { name: '新同志', phone: '13500000001', branchId: org.branchA }),
    )
    const { code, phone } = created.activation
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/)
    const fresh = cookieFetch()
    // Not activated: no password works yet.
    expect((await post(fresh, '/api/auth/login', { phone, password: 'anything-at-all' })).status).toBe(401)
    const wrong = await post(fresh, '/api/auth/activate', {
      phone,
      code: code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA',
      password: 'my-own-password',
    })
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('activation_invalid')
    const ok = await post(fresh, '/api/auth/activate', { phone, code: code.toLowerCase(), password: 'my-own-password' })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { user: { name: string; branchId: string } }).user).toMatchObject({
      name: '新同志',
      branchId: org.branchA,
    })
    expect((await get(fresh, '/api/auth/me')).status).toBe(200)
    expect((await post(cookieFetch(), '/api/auth/activate', { phone, code, password: 'another-password' })).status).toBe(401)
    expect((await post(cookieFetch(), '/api/auth/login', { phone, password: 'my-own-password' })).status).toBe(200)
    // A reset issues a new code; the old password keeps working until the new one is set.
    const person = await server.handle.db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirstOrThrow()
    const reset = await json<{ activation: IssuedCode }>(post(secretary, `/api/admin/people/${person.id}/activation`))
    expect(
      (await post(cookieFetch(), '/api/auth/activate', { phone, code: reset.activation.code, password: 'reset-password-1' })).status,
    ).toBe(200)
    expect((await post(cookieFetch(), '/api/auth/login', { phone, password: 'my-own-password' })).status).toBe(401)
  })

  it('a secretary cannot create people in another branch or with another role', async () => {
    expect((await post(secretary, '/api/admin/people', { name: '甲', phone: '13500000002', branchId: org.branchB })).status).toBe(403)
    expect(
      (await post(secretary, '/api/admin/people', { name: '甲', phone: '13500000002', branchId: org.branchA, role: 'admin' })).status,
    ).toBe(403)
    expect((await post(secretary, '/api/admin/people', { name: '甲', phone: org.memberB.phone, branchId: org.branchA })).status).toBe(409)
  })
})

describe('scope change', () => {
  it('after a move the next pull drops the old branch from the phone; own unsent work is pushed, a stale change is refused visibly', async () => {
    const peerDevice = await device(server, org.memberA.phone)
    const peerRecord = await createStudy(peerDevice.db, peerDevice.user, {
      kind: 'self_study',
      title: '同支部党员的学习',
      date: '2026-11-20',
      minutes: 20,
      notes: '',
      sourceUrl: '',
    })
    await new SyncEngine(peerDevice.db, peerDevice.api).sync()
    const d = await device(server, org.memberA2.phone)
    const engine = new SyncEngine(d.db, d.api)
    const mine = await createStudy(d.db, d.user, {
      kind: 'self_study',
      title: '调动前的学习',
      date: '2026-11-20',
      minutes: 30,
      notes: '',
      sourceUrl: '',
    })
    expect(await engine.sync()).toEqual({ ok: true })
    expect((await d.db.users.toArray()).map((u) => u.id)).toContain(org.memberA.id)

    // Offline: an edit of the member's own record, and a change aimed at a branch-A peer's record (as a stale screen might send).
    await updateStudy(d.db, mine.id, {
      kind: 'self_study',
      title: '调动前的学习（补充）',
      date: '2026-11-20',
      minutes: 45,
      notes: '',
      sourceUrl: '',
    })
    const peerId = peerRecord.id
    await writeRow(
      d.db,
      'study_records',
      {
        id: peerId,
        ownerId: org.memberA.id,
        branchId: org.branchA,
        orgId: org.orgId,
        kind: 'self_study',
        title: '改别人的',
        date: '2026-11-20',
        minutes: 5,
        notes: '',
        sourceUrl: '',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        deleted: false,
      },
      { minutes: 5 },
    )

    const moved = await post(admin, `/api/admin/people/${org.memberA2.id}/move`, {
      branchId: org.branchB,
      date: '2026-11-28',
      kind: 'move',
      note: '工作调动',
    })
    expect(moved.status).toBe(200)
    expect(await engine.sync()).toEqual({ ok: true })

    const users = (await d.db.users.toArray()).map((u) => u.id)
    expect(users).not.toContain(org.memberA.id)
    expect(users).toContain(org.memberB.id)
    const own = await d.db.study_records.get(mine.id)
    expect(own?.minutes).toBe(45)
    const server45 = await server.handle.db
      .selectFrom('study_records')
      .select('minutes')
      .where('id', '=', mine.id)
      .executeTakeFirstOrThrow()
    expect(Number(server45.minutes)).toBe(45)
    const rejected = await d.db.rejected.toArray()
    expect(rejected.map((r) => [r.mutation.rowId, r.code])).toEqual([[peerId, 'forbidden']])
    expect(await d.db.outbox.count()).toBe(0)

    const history = await json<{ events: { kind: string; fromBranch: string; toBranch: string; note: string }[] }>(
      get(admin, `/api/admin/people/${org.memberA2.id}/events`),
    )
    expect(history.events.at(-1)).toMatchObject({ kind: 'move', fromBranch: '第一党支部', toBranch: '第二党支部', note: '工作调动' })
    // The old branch's secretary no longer manages them.
    expect((await post(secretary, `/api/admin/people/${org.memberA2.id}/activation`)).status).toBe(404)
  })
})

describe('devices', () => {
  it('a member sees their devices and signs one out; that device is told to wipe, others keep working', async () => {
    const phoneA = await signIn(server, org.memberB.phone)
    const phoneB = await signIn(server, org.memberB.phone)
    const list = await json<{ sessions: { id: string; current: boolean }[] }>(get(phoneA, '/api/me/sessions'))
    expect(list.sessions.filter((s) => s.current)).toHaveLength(1)
    const other = (await json<{ sessions: { id: string; current: boolean }[] }>(get(phoneB, '/api/me/sessions'))).sessions.find(
      (s) => s.current,
    )
    expect((await post(phoneA, `/api/me/sessions/${other?.id ?? ''}/revoke`)).status).toBe(200)
    const told = await get(phoneB, '/api/sync/pull')
    expect(told.status).toBe(401)
    expect(((await told.json()) as { error: { code: string } }).error.code).toBe('signed_out')
    expect((await get(phoneA, '/api/sync/pull')).status).toBe(200)
    // A normal sign-out on the device itself is not a wipe order.
    await post(phoneA, '/api/auth/logout')
    expect(((await (await get(phoneA, '/api/sync/pull')).json()) as { error: { code: string } }).error.code).toBe('unauthorized')
  })

  it("an administrator signs out all of a member's devices (lost phone); the sync engine reports it", async () => {
    const d = await device(server, org.memberB.phone)
    expect((await post(admin, `/api/admin/people/${org.memberB.id}/sign-out`)).status).toBe(200)
    expect(await new SyncEngine(d.db, d.api).sync()).toEqual({ ok: false, failure: 'signed-out' })
    expect((await post(secretary, `/api/admin/people/${org.memberA.id}/sign-out`)).status).toBe(403)
  })
})

describe('audit log and personal data', () => {
  it('records every administrative act with who and what; only administrators read it', async () => {
    const log = await json<{ entries: { actor: string; action: string; summary: string }[] }>(get(admin, '/api/admin/audit'))
    const actions = new Set(log.entries.map((e) => e.action))
    for (const a of ['导入花名册', '新增人员', '发放激活码', '调整所在支部', '退出设备登录']) expect(actions).toContain(a)
    expect(log.entries.find((e) => e.action === '调整所在支部')).toMatchObject({
      actor: '管理员',
      summary: '李四 调整到 第二党支部（2026-11-28）',
    })
    expect((await get(secretary, '/api/admin/audit')).status).toBe(403)
  })

  it('the database itself refuses to change or delete an audit entry', async () => {
    await expect(server.handle.db.updateTable('audit_log').set({ summary: '改写' }).execute()).rejects.toThrow(/append-only/)
    await expect(server.handle.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
  })

  it('a member exports all of their own data as JSON and as a readable xlsx', async () => {
    const me = await signIn(server, org.memberA2.phone)
    const data = await json<{ profile: { name: string }; studyRecords: { title: string }[]; membershipHistory: { kind: string }[] }>(
      get(me, '/api/me/export'),
    )
    expect(data.profile.name).toBe('李四')
    expect(data.studyRecords.map((r) => r.title)).toEqual(['调动前的学习（补充）'])
    expect(data.membershipHistory.map((h) => h.kind)).toContain('调整支部')
    const res = await get(me, '/api/me/export.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '个人信息',
      '学习记录',
      '重温入党誓词',
      '组织关系',
      '投诉建议',
      '同意记录',
      '党费',
      '学时',
      '其他培训',
    ])
    expect(wb.getWorksheet('学习记录')?.getRow(2).getCell(3).value).toBe('调动前的学习（补充）')
  })

  it('an administrator removes a person who left: anonymised, signed out, records withdrawn, the row kept for counts', async () => {
    const gone = await signIn(server, org.memberA2.phone)
    expect(
      (
        await post(admin, `/api/admin/people/${org.memberA2.id}/remove`, {
          reason: 'transfer_out',
          date: '2026-11-28',
          note: '转至市委机关',
        })
      ).status,
    ).toBe(200)
    const row = await server.handle.db.selectFrom('users').selectAll().where('id', '=', org.memberA2.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name: '已移除人员', joined_party_on: null, note: '' })
    expect(row.removed_at).not.toBeNull()
    expect(((await (await get(gone, '/api/sync/pull')).json()) as { error: { code: string } }).error.code).toBe('signed_out')
    expect((await post(cookieFetch(), '/api/auth/login', { phone: '13800000002', password: 'test-password-1' })).status).toBe(401)
    const left = await server.handle.db
      .selectFrom('study_records')
      .select(['deleted', 'title'])
      .where('owner_id', '=', org.memberA2.id)
      .execute()
    expect(left.every((r) => r.deleted === 1 && r.title === '')).toBe(true)
  })
})
