import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { RemindersPage } from './pages/reminders.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 3)

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('reminder settings change offline and sync; a push message ends in a shown notification with the right text', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['notifications'] })
  const page = await context.newPage()
  const shell = new Shell(page)
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await shell.waitForServiceWorker()
  await shell.expectUnsynced(0)

  const reminders = new RemindersPage(page)
  await shell.tab('我的').click()
  await reminders.open()
  // A member is not offered the secretary's week-ahead list; the study reminder is off until asked for.
  await expect(reminders.pref('branchWeekAhead')).toHaveCount(0)
  await expect(reminders.pref('studyGap')).toHaveAttribute('aria-checked', 'false')

  await context.setOffline(true)
  await reminders.pref('studyGap').click()
  await expect(reminders.pref('studyGap')).toHaveAttribute('aria-checked', 'true')
  await page.reload()
  await expect(reminders.pref('studyGap')).toHaveAttribute('aria-checked', 'true')
  await page.goto(`${server.url}/`)
  await shell.expectUnsynced(1)
  await context.setOffline(false)
  await shell.expectUnsynced(0)

  const cdp = await context.newCDPSession(page)
  // Delivered again if the first one reached a worker still starting (same tag: it replaces, never doubles).
  const message = { title: '今天是您的第20个政治生日', body: '赵红同志，政治生日快乐！', url: '/', tag: 'birthday-e2e' }
  await reminders.deliverPush(cdp, server.url, message)
  await expect
    .poll(
      async () => {
        const shown = await reminders.notifications()
        if (shown.length === 0) await reminders.deliverPush(cdp, server.url, message)
        return shown
      },
      { timeout: 20_000, intervals: [1000, 2000, 3000] },
    )
    .toEqual([{ title: message.title, body: message.body, tag: message.tag }])

  // Opting in: asked only after the tap; here no push service is reachable, so the member is
  // told plainly that reminders stay in the app (a real phone subscribes).
  await page.goto(`${server.url}/me/reminders`)
  await expect(reminders.state()).toHaveText('本机尚未开启通知')
  await page.getByTestId('push-enable').click()
  await expect(page.getByTestId('push-message')).toHaveText(/已开启|无法连接手机的推送服务/, { timeout: 20_000 })
  await context.close()
})
