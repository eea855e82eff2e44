import { test, expect, DEMO_MEMBER, watchPage } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { StudyPage } from './pages/study.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610))

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('a member records study offline, across reloads and a server restart, and it syncs to their other device', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = watchPage(page)
  const shell = new Shell(page)
  const study = new StudyPage(page)

  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible()
  await expect(shell.tab('学习')).toBeVisible()
  await shell.expectUnsynced(0)
  await shell.waitForServiceWorker()

  // No signal: the record is saved on the phone and counted as unsynced.
  await context.setOffline(true)
  await shell.tab('学习').click()
  const title = `离线学习 ${Date.now()}`
  await study.add({ title, kind: '个人自学', minutes: 45, notes: '在没有信号的会议室里记下的心得。' })
  await expect(study.record(title).getByTestId('record-pending')).toBeVisible()
  // The phone's back button from the list never opens the form again: its history entry is gone
  // (the tabs replace each other, so back leaves the app here), and forward comes back to the list.
  await page.goBack()
  expect(page.url()).not.toContain('/study') // neither the form nor a second copy of the list
  await page.goForward()
  await expect(study.record(title)).toBeVisible()

  await page.reload()
  await expect(study.record(title)).toBeVisible()
  await shell.tab('首页').click()
  await shell.expectUnsynced(1)

  // The server goes away too; the app still opens from the service worker.
  await server.stop()
  await page.reload()
  await shell.expectUnsynced(1)
  await server.start()

  // Signal returns: the change is delivered and acknowledged.
  await context.setOffline(false)
  await shell.expectUnsynced(0)
  await shell.tab('我的').click()
  await page.getByRole('button', { name: /同步详情/ }).click()
  await expect(page.getByTestId('pending-count')).toContainText('0 条')
  await expect(page.getByTestId('last-sync')).not.toContainText('尚未同步')

  // The member's other phone sees it.
  const other = await browser.newContext()
  const otherPage = await other.newPage()
  await new LoginPage(otherPage).open(server.url)
  await new LoginPage(otherPage).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await new Shell(otherPage).tab('学习').click()
  await expect(new StudyPage(otherPage).record(title)).toBeVisible()

  expect(problems).toEqual([])
  await other.close()
  await context.close()
})

test("another person signing in on the same phone sees none of the first person's records", async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const login = new LoginPage(page)
  await login.open(server.url)
  await login.login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  const shell = new Shell(page)
  await shell.tab('学习').click()
  const title = `仅本人可见 ${Date.now()}`
  await new StudyPage(page).add({ title, kind: '党课', minutes: 60 })

  await shell.tab('我的').click()
  await page.getByTestId('logout').click()
  await page.getByRole('button', { name: '退出', exact: true }).click()
  await login.login('13900000102', DEMO_MEMBER.password)
  await shell.tab('学习').click()
  await expect(page.getByText(title)).toHaveCount(0)
  await context.close()
})

test('offline, the home screen opens at once from its snapshot, the live app replaces it, and signing out deletes it', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  const problems = watchPage(page)
  const login = new LoginPage(page)
  await login.open(server.url)
  await login.login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  const shell = new Shell(page)
  await shell.waitForServiceWorker()
  // Saved once the home has shown its data (and after each sync, and when the app is left).
  await expect.poll(() => shell.savedSnapshot(), { timeout: 15_000 }).toContain('，您好')
  const saved = (await shell.savedSnapshot()) ?? ''
  expect(saved).not.toContain('style=')
  expect(saved).not.toContain('<script')

  await context.setOffline(true)
  await shell.recordFirstHtml()
  const again = await context.newPage()
  const problemsAgain = watchPage(again)
  await again.goto(`${server.url}/`)
  const first = await new Shell(again).firstHtml()
  expect(first.html).toContain('data-snapshot')
  expect(first.html).toContain('，您好')
  expect(first.inert).toBe(true)
  // The live app takes over: the snapshot is gone and the page works.
  await expect(again.locator('[data-snapshot]')).toHaveCount(0)
  await expect(again.getByRole('heading', { name: /您好/ })).toBeVisible()
  await new Shell(again).tab('学习').click()
  await expect(again.getByTestId('study-add')).toBeVisible()
  expect(problemsAgain).toEqual([])
  await again.close()

  await context.setOffline(false)
  await shell.tab('我的').click()
  await page.getByTestId('logout').click()
  await page.getByRole('button', { name: '退出', exact: true }).click()
  await expect.poll(() => shell.savedSnapshot()).toBeNull()
  const next = await context.newPage()
  await next.goto(`${server.url}/`)
  expect((await new Shell(next).firstHtml()).html).not.toContain('data-snapshot')
  await expect(next.getByLabel('手机号')).toBeVisible()
  expect(problems).toEqual([])
  await context.close()
})
