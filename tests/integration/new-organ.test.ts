import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFetch, startServer, type TestServer } from './harness.ts'
import type { FetchFn } from '../../src/client/api/http.ts'
import type { ImportPreview, IssuedCode, Onboarding } from '../../src/core/schemas/people.ts'
import type { Rule } from '../../src/core/domain/meetings.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'

/** A real organ's first day, as a new administrator meets it: an empty server, then the roster. */
let server: TestServer
let admin: FetchFn
const today = chinaToday(new Date())

const post = (f: FetchFn, path: string, body: unknown) =>
  f(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const json = async <T>(res: Promise<Response> | Response): Promise<T> => {
  const r = await res
  if (!r.ok) throw new Error(`${r.status} ${await r.text()}`)
  return (await r.json()) as T
}
const csv = (text: string) => ({ fileName: '花名册.csv', content: Buffer.from(text, 'utf8').toString('base64') })

const ROSTER = [
  '姓名,手机号,所在支部,党小组,入党日期,转正日期',
  '冯志远,13700000001,机关第二党支部,,1992年7月,1993.07',
  '何雪梅,13700000002,机关第一党支部,第一党小组,2001-07-01,2002-07-01',
  '刘芳,13700000003,机关第一党支部,第一党小组,2010-06-30,',
  '王建国,13700000004,机关第一党支部,,1985.7,1986年7月',
].join('\n')

beforeAll(async () => {
  server = await startServer()
  admin = cookieFetch()
  await json(
    post(admin, '/api/setup', {
      orgName: '中共某县纪委监委机关委员会',
      adminName: '管理员',
      phone: '13900000001',
      password: 'long-enough-pw',
    }),
  )
})
afterAll(() => server.close())

describe('a brand-new organisation', () => {
  it('has failed nothing on day one: every rule is judged from today', async () => {
    const r = await json<{ rules: Rule[]; startedOn: string }>(admin(`${server.url}/api/org/rules`))
    expect(r.startedOn).toBe(today)
    expect(r.rules.every((x) => x.since === today)).toBe(true)
    // A changed rule applies from the day it changed; an unchanged one keeps its day.
    const saved = await json<{ rules: Rule[] }>(
      post(admin, '/api/admin/rules', {
        rules: [
          { type: 'theme_day', period: 'month', times: 2 },
          { type: 'org_life', period: 'year', times: 1 },
        ],
      }),
    )
    expect(saved.rules.map((x) => x.since)).toEqual([today, today])
  })

  it('the administrator is guided: 新增党支部 → 导入花名册 → 发放激活码', async () => {
    expect(await json<Onboarding>(admin(`${server.url}/api/admin/onboarding`))).toEqual({
      branches: 0,
      people: 0,
      notActivated: 0,
      withoutCode: 0,
    })
  })

  it('imports a roster whose branches do not exist yet: the preview lists them, the confirmed apply creates them with the people', async () => {
    const preview = await json<ImportPreview>(post(admin, '/api/admin/import/preview', csv(ROSTER)))
    expect(preview.problems).toEqual([])
    expect(preview.create).toEqual({
      branches: ['机关第二党支部', '机关第一党支部'],
      groups: [{ branch: '机关第一党支部', group: '第一党小组' }],
    })
    // Year and month only: accepted as the 1st, and said so.
    expect(preview.notices).toEqual([
      { row: 2, column: '入党日期', message: '只有年月，按 1992-07-01（当月1日）记录，可在人员信息中修改' },
      { row: 2, column: '转正日期', message: '只有年月，按 1993-07-01（当月1日）记录，可在人员信息中修改' },
      { row: 5, column: '入党日期', message: '只有年月，按 1985-07-01（当月1日）记录，可在人员信息中修改' },
      { row: 5, column: '转正日期', message: '只有年月，按 1986-07-01（当月1日）记录，可在人员信息中修改' },
    ])
    expect(await server.handle.db.selectFrom('branches').select('id').execute()).toHaveLength(0)

    // Not confirmed: nothing is written, and the reason says what to do.
    const unconfirmed = await post(admin, '/api/admin/import/apply', csv(ROSTER))
    expect(unconfirmed.status).toBe(422)
    expect(((await unconfirmed.json()) as { error: { message: string } }).error.message).toContain('2 个党支部、1 个党小组尚未建立')
    expect(await server.handle.db.selectFrom('users').select('id').execute()).toHaveLength(1)

    const applied = await json<{ created: number; branchesCreated: number; groupsCreated: number; activations: IssuedCode[] }>(
      post(admin, '/api/admin/import/apply', { ...csv(ROSTER), createMissing: true }),
    )
    expect(applied).toMatchObject({ created: 4, branchesCreated: 2, groupsCreated: 1 })
    expect(applied.activations.map((a) => [a.name, a.branchName])).toEqual([
      ['冯志远', '机关第二党支部'],
      ['何雪梅', '机关第一党支部'],
      ['刘芳', '机关第一党支部'],
      ['王建国', '机关第一党支部'],
    ])
    const branches = await server.handle.db.selectFrom('branches').select(['id', 'name', 'started_on']).execute()
    expect(branches.map((b) => b.name).sort()).toEqual(['机关第一党支部', '机关第二党支部'])
    expect(branches.every((b) => b.started_on === today)).toBe(true)
    const first = branches.find((b) => b.name === '机关第一党支部')
    const group = await server.handle.db.selectFrom('party_groups').selectAll().executeTakeFirstOrThrow()
    expect(group).toMatchObject({ name: '第一党小组', branch_id: first?.id })
    const he = await server.handle.db.selectFrom('users').selectAll().where('name', '=', '何雪梅').executeTakeFirstOrThrow()
    expect(he).toMatchObject({ branch_id: first?.id, group_id: group.id })
    const feng = await server.handle.db.selectFrom('users').selectAll().where('name', '=', '冯志远').executeTakeFirstOrThrow()
    expect(feng).toMatchObject({ joined_party_on: '1992-07-01', full_member_on: '1993-07-01' })
    // The organisation tree lists the branches in the organisation's order (第一 before 第二).
    const tree = await json<{ branches: { name: string }[] }>(admin(`${server.url}/api/admin/org`))
    expect(tree.branches.map((b) => b.name)).toEqual(['机关第一党支部', '机关第二党支部'])
    const log = await server.handle.db.selectFrom('audit_log').select('action').execute()
    expect(
      log
        .map((l) => l.action)
        // The set-up and the sign-ins are recorded too (tests/integration/audit.test.ts).
        .filter((a) => !['rules_update', 'setup', 'login'].includes(a))
        .sort(),
    ).toEqual(['branch_create', 'branch_create', 'group_create', 'import_apply'])
  })

  it('a fresh batch of codes for those not yet activated; the guide is done once everyone has a code', async () => {
    expect(await json<Onboarding>(admin(`${server.url}/api/admin/onboarding`))).toEqual({
      branches: 2,
      people: 4,
      notActivated: 4,
      withoutCode: 0,
    })
    const first = await json<{ activations: IssuedCode[] }>(post(admin, '/api/admin/activation/batch', {}))
    expect(first.activations).toHaveLength(4)
    const liu = first.activations.find((a) => a.name === '刘芳')
    const activated = cookieFetch()
    await json(post(activated, '/api/auth/activate', { phone: liu?.phone, code: liu?.code, password: 'my-own-password' }))
    // The batch is for those not yet activated, by branch (in the organisation's order) and name; their earlier codes have ended.
    const again = await json<{ activations: IssuedCode[] }>(post(admin, '/api/admin/activation/batch', {}))
    expect(again.activations.map((a) => a.name)).toEqual(['何雪梅', '王建国', '冯志远'])
    const feng = first.activations.find((a) => a.name === '冯志远')
    expect(
      (await post(cookieFetch(), '/api/auth/activate', { phone: feng?.phone, code: feng?.code, password: 'another-password' })).status,
    ).toBe(401)
    expect(await json<Onboarding>(admin(`${server.url}/api/admin/onboarding`))).toEqual({
      branches: 2,
      people: 4,
      notActivated: 3,
      withoutCode: 0,
    })
  })
})
