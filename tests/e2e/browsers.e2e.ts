import { test, expect, chinaInputs, DEMO_MEMBER, watchPage } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { MeetingsPages } from './pages/meetings.page.ts'
import { StudyPage } from './pages/study.page.ts'

/**
 * The browsers members open links in, by their user agent and what they lack: WeChat on iOS runs
 * no service worker (blocked here); HarmonyOS's ArkWeb and the Huawei browser do. Emulation only:
 * the README lists what a pilot must check on real phones.
 */
const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 10)
const SECRETARY = '13900000011'
const WECHAT_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN'
const HARMONY =
  'Mozilla/5.0 (Phone; OpenHarmony 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300'

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('a member scans the meeting code with WeChat on iOS: told it is online-only and how to open it properly, logs in slowly, and is signed in', async ({
  browser,
}) => {
  const secretaryContext = await browser.newContext()
  const sec = await secretaryContext.newPage()
  await new LoginPage(sec).open(server.url)
  await new LoginPage(sec).login(SECRETARY, DEMO_MEMBER.password)
  await new Shell(sec).tab('会议').click()
  const secMeetings = new MeetingsPages(sec)
  await secMeetings.schedule({ topic: '微信扫码签到的支部党员大会', place: '一楼会议室', type: '支部党员大会', ...chinaInputs(-1) })
  const link = await secMeetings.currentCode()

  // WeChat's scanner opens the link in its own browser: no service worker, not signed in there.
  const wechat = await browser.newContext({ userAgent: WECHAT_IOS, serviceWorkers: 'block' })
  const mem = await wechat.newPage()
  const problems = watchPage(mem)
  await mem.goto(link)
  const login = new LoginPage(mem)
  await expect(mem.getByLabel('手机号')).toBeVisible()
  const guide = mem.getByTestId('browser-guide')
  await expect(guide).toContainText('在微信里只能联网使用')
  await expect(guide).toContainText('点右上角「···」')
  await expect(guide).toContainText('Safari')
  // The member takes more than a minute to type their password: the code must still count.
  await mem.clock.setSystemTime(Date.now() + 75_000)
  await login.login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  const memMeetings = new MeetingsPages(mem)
  await expect(memMeetings.signedInTitle()).toHaveText('已签到')
  await expect(mem.getByTestId('sign-in-error')).toHaveCount(0)

  // Recording study works online there too, and reaches the server.
  await mem.goto(`${server.url}/study`)
  const title = `微信里记录的学习 ${Date.now()}`
  await new StudyPage(mem).add({ title, kind: '党课', minutes: 30 })
  await new Shell(mem).tab('首页').click()
  await new Shell(mem).expectUnsynced(0)
  expect(problems).toEqual([])
  await wechat.close()
  await secretaryContext.close()
})

test('on HarmonyOS the app works offline, and the member is told once how to add it to the desktop', async ({ browser }) => {
  const harmony = await browser.newContext({ userAgent: HARMONY })
  const page = await harmony.newPage()
  const problems = watchPage(page)
  const login = new LoginPage(page)
  await login.open(server.url)
  const guide = page.getByTestId('browser-guide')
  await expect(guide).toContainText('可以离线使用：添加到桌面后，像 App 一样打开。')
  await guide.getByRole('button', { name: '知道了' }).click()
  await expect(guide).toHaveCount(0)
  await login.login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  const shell = new Shell(page)
  await shell.waitForServiceWorker()
  await page.reload()
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible()
  await expect(page.getByTestId('browser-guide')).toHaveCount(0) // once
  await harmony.setOffline(true)
  await page.reload()
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible()
  expect(problems).toEqual([])
  await harmony.close()
})
