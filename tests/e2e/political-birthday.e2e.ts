import { readFileSync } from 'node:fs'
import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { PartyDatesPage } from './pages/party.page.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 2)

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('on their political birthday a member is greeted with the oath; dates are edited offline with validation; 党龄 follows 转正日期', async ({
  browser,
}) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const shell = new Shell(page)
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  // The demo member joined the Party on this day of the year.
  await expect(page.getByTestId('political-birthday')).toContainText(/今天是您的第\d+个政治生日/)
  await expect(page.getByTestId('political-birthday')).toContainText('永不叛党')
  const pushed = page.waitForResponse((r) => r.url().includes('/api/sync/push') && r.ok())
  await page.getByTestId('renew-oath').click()
  await expect(page.getByTestId('oath-renewed')).toBeVisible()
  await pushed
  await shell.expectUnsynced(0)
  // The greeting card as an image to save or share.
  const download = page.waitForEvent('download')
  await page.getByTestId('share-card').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^政治生日-\d{4}-\d{2}-\d{2}\.png$/)
  const png = readFileSync((await file.path()) ?? '')
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  expect(png.readUInt32BE(16)).toBe(1080)

  await shell.waitForServiceWorker()
  await context.setOffline(true)
  await shell.tab('我的').click()
  const dates = new PartyDatesPage(page)
  await dates.open()
  // Keep the political birthday on today's date (other year) so the secretary's list below still has it.
  const monthDay = chinaToday(new Date()).slice(5)
  const [y0, y1, y2] = monthDay === '02-29' ? [2000, 2004, 2008] : [2005, 2006, 2007] // leap years for 29 February
  await dates.save(`${y1}-${monthDay}`, `${y0}-${monthDay}`)
  await expect(dates.error()).toHaveText('转正日期应晚于入党日期')
  await dates.save(`${y1}-${monthDay}`, `${y2}-${monthDay}`)
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
  expect(await feed.text()).toContain('DTSTART;VALUE=DATE:')
  await context.close()
})

test("a branch secretary sees the branch's political birthdays of the coming 30 days", async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login('13900000011', DEMO_MEMBER.password)
  // The demo member's political birthday is today and they re-took the oath in the test above.
  await expect(page.getByTestId('branch-birthdays')).toContainText('今年已重温入党誓词')
  await page.getByTestId('birthdays-by-month').click()
  const thisMonth = chinaToday(new Date()).slice(0, 7)
  await expect(page.getByTestId(`birthdays-${thisMonth}`)).toContainText('今年已重温入党誓词')
  await expect(page.locator('[data-testid^="birthdays-"]')).toHaveCount(12)
  // One tap schedules the month's collective ceremony as a 主题党日 with those members expected.
  await page.getByTestId(`ceremony-${thisMonth}`).click()
  await expect(page.getByLabel('会议主题')).toHaveValue(/月集体政治生日：重温入党誓词$/)
  await expect(page.getByRole('radio', { name: '主题党日' })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('group', { name: '应到人员' }).locator('[aria-pressed="true"]')).not.toHaveCount(0)
  await context.close()
})
