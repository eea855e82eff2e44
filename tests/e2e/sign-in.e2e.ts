import { test, expect, chinaInputs, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { MeetingsPages } from './pages/meetings.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 9)
const SECRETARY = '13900000011'

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('a member signs in, offline, to a meeting scheduled on the spot that their phone has never seen: 已签到（联网后上传） with the time; accepted once both phones are online', async ({
  browser,
}) => {
  const secretaryContext = await browser.newContext()
  const sec = await secretaryContext.newPage()
  await new LoginPage(sec).open(server.url)
  await new LoginPage(sec).login(SECRETARY, DEMO_MEMBER.password)
  const secShell = new Shell(sec)
  await secShell.waitForServiceWorker()
  await secShell.expectUnsynced(0)

  const memberContext = await browser.newContext()
  const mem = await memberContext.newPage()
  await new LoginPage(mem).open(server.url)
  await new LoginPage(mem).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  const memShell = new Shell(mem)
  await memShell.waitForServiceWorker()
  await memShell.expectUnsynced(0)

  // No signal in the meeting room: the secretary puts the meeting in on the spot and shows its code.
  await secretaryContext.setOffline(true)
  await memberContext.setOffline(true)
  await secShell.tab('会议').click()
  const secMeetings = new MeetingsPages(sec)
  await secMeetings.schedule({ topic: '临时召开的支部党员大会', place: '二楼会议室', type: '支部党员大会', ...chinaInputs(-2) })
  const link = await secMeetings.currentCode()

  // The member's camera opens the link: the meeting is not on this phone, the sign-in is.
  const before = chinaInputs(0).time
  await mem.goto(link)
  const memMeetings = new MeetingsPages(mem)
  await expect(memMeetings.signedInTitle()).toHaveText('已签到（联网后上传）')
  await expect(memMeetings.signedInTime()).toContainText(new RegExp(`${before}|${chinaInputs(0).time}`))
  await expect(mem.getByText('会议尚未同步到本机')).toHaveCount(0)

  // Scanning again says so, with the same sign-in.
  await mem.goto(link)
  await expect(mem.getByTestId('signed-in-already')).toBeVisible()

  // Both phones come back: the meeting reaches the server, then the member's sign-in is accepted.
  await secretaryContext.setOffline(false)
  await sec.goto(`${server.url}/`)
  await secShell.expectUnsynced(0)
  await memberContext.setOffline(false)
  await mem.goto(`${server.url}/`)
  await memShell.expectUnsynced(0)
  await mem.goto(`${server.url}/meetings`)
  await memMeetings.open('临时召开的支部党员大会')
  await expect(memMeetings.signedInTitle()).toHaveText('已签到')
  await expect(mem.getByTestId('meeting-refusal')).toHaveCount(0)
  await memberContext.close()
  await secretaryContext.close()
})

test('the code page for tomorrow’s meeting says when sign-in opens instead of showing a code', async ({ page }) => {
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(SECRETARY, DEMO_MEMBER.password)
  const shell = new Shell(page)
  await shell.expectUnsynced(0)
  await shell.tab('会议').click()
  const meetings = new MeetingsPages(page)
  const tomorrow = chinaInputs(24 * 60)
  await meetings.schedule({ topic: '明天的主题党日', place: '党员活动室', type: '主题党日', ...tomorrow })
  await meetings.openCodePage()
  await expect(meetings.signInClosed()).toContainText('签到尚未开始')
  const opens = new Date(Date.parse(`${tomorrow.date}T${tomorrow.time}:00+08:00`) - 3600_000 + 8 * 3600_000).toISOString().slice(11, 16)
  await expect(meetings.signInClosed()).toContainText(opens)
  await expect(meetings.qrCode()).toHaveCount(0)
})
