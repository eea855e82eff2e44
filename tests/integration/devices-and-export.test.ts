import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { seedOrg, signIn, startServer, type Org, type TestServer } from './harness.ts'

let server: TestServer
let org: Org
beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
})
afterAll(() => server.close())

const chinaNow = () => new Date(Date.now() + 8 * 3600_000).toISOString()

describe('a member’s devices and own data', () => {
  it('records when each device was last used, not only when it signed in', async () => {
    const phone = await signIn(server, org.memberA.phone)
    const earlier = new Date(Date.now() - 3 * 86_400_000).toISOString()
    // Signed in three days ago, last used an hour ago (as the server saw it then).
    await server.handle.db
      .updateTable('sessions')
      .set({ created_at: earlier, last_seen_at: new Date(Date.now() - 3600_000).toISOString() })
      .where('user_id', '=', org.memberA.id)
      .execute()
    await phone(`${server.url}/api/auth/me`)
    const { sessions } = (await (await phone(`${server.url}/api/me/sessions`)).json()) as {
      sessions: { createdAt: string; lastSeenAt: string; current: boolean }[]
    }
    const mine = sessions.find((s) => s.current)
    expect(mine?.createdAt).toBe(earlier)
    expect(Date.now() - Date.parse(mine?.lastSeenAt ?? '')).toBeLessThan(60_000)
  })

  it('names the personal export after the person and the China date and time, and says when in China time', async () => {
    const me = await signIn(server, org.memberA.phone)
    const res = await me(`${server.url}/api/me/export.xlsx`)
    const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '')
    const now = chinaNow()
    expect(name).toMatch(new RegExp(`^党建随行个人数据-张三-${now.slice(0, 10)}-\\d{4}\\.xlsx$`))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    const at = wb
      .getWorksheet('个人信息')!
      .getColumn(2)
      .values.find((v) => typeof v === 'string' && v.includes('北京时间'))
    expect(at).toMatch(
      new RegExp(`^${Number(now.slice(0, 4))}年${Number(now.slice(5, 7))}月${Number(now.slice(8, 10))}日 \\d{2}:\\d{2}（北京时间）$`),
    )
    const json = await me(`${server.url}/api/me/export`)
    expect(decodeURIComponent(json.headers.get('content-disposition') ?? '')).toContain(`党建随行个人数据-张三-${now.slice(0, 10)}-`)
  })
})
