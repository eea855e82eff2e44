import Database from 'better-sqlite3'
import { join } from 'node:path'
import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { MeetingsPages } from './pages/meetings.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 5)
const SECRETARY = '13900000011'
const OTHER_MEMBER = '13900000104' // 赵磊, same branch as the demo member 刘芳

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

/** Five minutes ago in China time, as the form takes it. */
function startedJustNow(): { date: string; time: string } {
  const china = new Date(Date.now() - 5 * 60_000 + 8 * 3600_000).toISOString()
  return { date: china.slice(0, 10), time: china.slice(11, 16) }
}

test('sign-in with no signal on either phone: one attendance row, both phones show present; 补学 by a member on leave, confirmed', async ({
  browser,
}) => {
  const secretaryContext = await browser.newContext()
  const sec = await secretaryContext.newPage()
  await new LoginPage(sec).open(server.url)
  await new LoginPage(sec).login(SECRETARY, DEMO_MEMBER.password)
  const secShell = new Shell(sec)
  await secShell.waitForServiceWorker()
  await secShell.expectUnsynced(0)

  // The secretary schedules the meeting offline, then syncs.
  await secretaryContext.setOffline(true)
  await secShell.tab('会议').click()
  const secMeetings = new MeetingsPages(sec)
  await secMeetings.schedule({ topic: '11月支部党员大会', place: '三楼会议室', type: '支部党员大会', ...startedJustNow() })
  await secretaryContext.setOffline(false)
  await sec.goto(`${server.url}/`)
  await secShell.expectUnsynced(0)

  const memberContext = await browser.newContext()
  const mem = await memberContext.newPage()
  await new LoginPage(mem).open(server.url)
  await new LoginPage(mem).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  const memShell = new Shell(mem)
  await memShell.waitForServiceWorker()
  await memShell.expectUnsynced(0)
  await memShell.tab('会议').click()
  await expect(mem.getByTestId('meeting-item').filter({ hasText: '11月支部党员大会' })).toBeVisible()

  // Both phones lose the network. The member's camera reads the code on the secretary's screen.
  await secretaryContext.setOffline(true)
  await memberContext.setOffline(true)
  await sec.goto(`${server.url}/meetings`)
  await secMeetings.open('11月支部党员大会')
  const link = await secMeetings.currentCode()
  await mem.goto(link)
  const memMeetings = new MeetingsPages(mem)
  await expect(memMeetings.myStatus()).toHaveText('我的出勤：已签到')
  await mem.goto(`${server.url}/`)
  await memShell.expectUnsynced(1)

  // Back online: the member's sign-in reaches the server and the organiser's phone.
  await memberContext.setOffline(false)
  await secretaryContext.setOffline(false)
  await memShell.expectUnsynced(0)
  await sec.goto(`${server.url}/`)
  await secShell.expectUnsynced(0)
  await sec.goto(`${server.url}/meetings`)
  await secMeetings.open('11月支部党员大会')
  await expect(secMeetings.rollRow('刘芳')).toContainText('出席（扫码）')
  const db = new Database(join(server.dataDir, 'suixing.sqlite'), { readonly: true })
  // This meeting's row only (the demo organisation has a year of earlier meetings too).
  const rows = db
    .prepare(
      'select a.status, a.method from attendance a join users u on u.id = a.member_id join meetings m on m.id = a.meeting_id where u.phone = ? and m.topic = ?',
    )
    .all(DEMO_MEMBER.phone, '11月支部党员大会')
  db.close()
  expect(rows).toEqual([{ status: 'present', method: 'scan' }])
  await mem.goto(`${server.url}/meetings`)
  await memMeetings.open('11月支部党员大会')
  await expect(memMeetings.myStatus()).toHaveText('我的出勤：已签到')
  await memberContext.close()

  // Another member is marked on leave by hand; they file 补学; the secretary confirms it.
  const otherName = '赵磊'
  await secMeetings.rollRow(otherName).getByRole('button', { name: '请假' }).click()
  await expect(sec.getByTestId('meeting-message')).toHaveText('已登记')
  await expect(secMeetings.rollRow(otherName)).toContainText('请假')
  await sec.goto(`${server.url}/`)
  await secShell.expectUnsynced(0)

  const otherContext = await browser.newContext()
  const other = await otherContext.newPage()
  await new LoginPage(other).open(server.url)
  await new LoginPage(other).login(OTHER_MEMBER, DEMO_MEMBER.password)
  const otherShell = new Shell(other)
  await otherShell.expectUnsynced(0)
  await otherShell.tab('会议').click()
  await new MeetingsPages(other).open('11月支部党员大会')
  await expect(new MeetingsPages(other).myStatus()).toHaveText('我的出勤：已请假')
  await other.getByTestId('makeup-content').fill('自学会议材料和全会精神')
  await other.getByTestId('makeup-submit').click()
  await expect(other.getByTestId('my-makeup')).toContainText('待确认')
  await other.goto(`${server.url}/`)
  await otherShell.expectUnsynced(0)

  await sec.reload()
  await secShell.expectUnsynced(0)
  await sec.goto(`${server.url}/meetings`)
  await secMeetings.open('11月支部党员大会')
  await sec.getByTestId('makeup-confirm').click()
  await expect(sec.getByTestId('makeup-row')).toContainText('已确认')
  await expect(sec.getByTestId('meeting-message')).toHaveText('已确认补学')
  await sec.goto(`${server.url}/`)
  await secShell.expectUnsynced(0)
  await other.reload()
  await otherShell.expectUnsynced(0)
  await other.goto(`${server.url}/meetings`)
  await new MeetingsPages(other).open('11月支部党员大会')
  await expect(other.getByTestId('my-makeup')).toContainText('已确认')
  await otherContext.close()
  await secretaryContext.close()
})
