import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { PartyDatesPage } from './pages/party.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 2)

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('on their political birthday a member is greeted with the oath; dates are edited offline with validation; 党龄 follows 转正日期', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const shell = new Shell(page)
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  // The demo member joined the Party on this day of the year.
  await expect(page.getByTestId('political-birthday')).toContainText(/今天是您的第\d+个政治生日/)
  await expect(page.getByTestId('political-birthday')).toContainText('永不叛党')

  await shell.waitForServiceWorker()
  await context.setOffline(true)
  await shell.tab('我的').click()
  const dates = new PartyDatesPage(page)
  await dates.open()
  await dates.save('2006-07-01', '2006-06-01')
  await expect(dates.error()).toHaveText('转正日期应晚于入党日期')
  await dates.save('2006-07-01', '2007-07-01')
  await expect(page.getByTestId('party-standing')).toContainText(/\d+ 年/)
  await shell.tab('首页').click()
  await shell.expectUnsynced(1)
  await context.setOffline(false)
  await shell.expectUnsynced(0)

  // One secret link for the phone's own calendar: reminders without opening the app.
  await shell.tab('我的').click()
  await page.getByTestId('calendar-create').click()
  const link = (await page.getByTestId('calendar-link').textContent())?.trim() ?? ''
  expect(link).toMatch(/\/api\/calendar\/[\w-]{43}\.ics$/)
  const feed = await page.request.get(link)
  expect(await feed.text()).toContain('DTSTART;VALUE=DATE:20070701')
  await context.close()
})

test("a branch secretary sees the branch's political birthdays of the coming 30 days", async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login('13900000011', DEMO_MEMBER.password)
  await expect(page.getByTestId('branch-birthdays')).toContainText('政治生日')
  await context.close()
})
