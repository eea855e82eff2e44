import { execSync } from 'node:child_process'
import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { StudyPage } from './pages/study.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 1)

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test("a new deployment shows the update prompt (新版本可用), and the member's records survive the update", async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const shell = new Shell(page)
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible()
  await shell.waitForServiceWorker()

  // Unsynced work made offline before the update.
  await context.setOffline(true)
  await shell.tab('学习').click()
  const title = `更新前的记录 ${Date.now()}`
  await new StudyPage(page).add({ title, kind: '学习强国', minutes: 30 })
  await context.setOffline(false)

  // Deploy a new build (different build id → new precache manifest → new service worker).
  execSync('npx vite build --outDir dist/e2e-next --emptyOutDir', {
    env: { ...process.env, SUIXING_BUILD_ID: `next-${Date.now()}` },
    stdio: 'ignore',
  })
  await server.stop()
  await server.start('dist/e2e-next')

  await page.goto(`${server.url}/me`)
  await page.getByText('检查更新').click()
  await expect(shell.updatePrompt()).toContainText('新版本可用')
  // Listening before the tap: the page reloads from the new service worker's cache, and its load can come before click() returns.
  const reloaded = page.waitForEvent('load')
  await shell.updatePrompt().getByRole('button', { name: '更新' }).click()
  await reloaded
  await expect(shell.updatePrompt()).toHaveCount(0)
  await shell.tab('学习').click()
  await expect(new StudyPage(page).record(title)).toBeVisible()
  await shell.tab('首页').click()
  await shell.expectUnsynced(0)
  await context.close()
})
