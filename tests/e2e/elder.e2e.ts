import { test, expect, DEMO_MEMBER, watchPage } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { elderProblems } from './pages/elder-audit.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 11)

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

const SECRETARY = '13900000011'
/** What a branch secretary opens besides: scheduling, the roll and 台账, 待审批, visits, birthdays. */
const SECRETARY_PAGES = [
  '/',
  '/meetings',
  '/meetings/new',
  '/meetings/ledger',
  '/meetings/pending',
  '/meetings/talks',
  '/meetings/rectify',
  '/meetings/year-report',
  '/visits',
  '/households/new',
  '/visits/ledger',
  '/party/birthdays',
  '/study/branch',
]

/** What a member opens (the 长辈版's 首页 and everything one tap or two from it). */
const MEMBER_PAGES = [
  '/',
  '/scan',
  '/study/new',
  '/meetings/record',
  '/me',
  '/study',
  '/meetings',
  '/visits',
  '/me/party',
  '/me/reminders',
  '/me/sync',
  '/me/devices',
  '/me/storage',
]

test('the 长辈版 is offered at first run, and every page a member opens meets the standard’s numbers', async ({ browser }) => {
  test.setTimeout(120_000)
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = watchPage(page)
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await page.getByTestId('elder-on').click()
  for (const label of ['扫码签到', '记录学习', '我的会议', '政治生日'])
    await expect(page.getByRole('navigation', { name: '常用' }).getByRole('link', { name: new RegExp(label) })).toBeVisible()

  const found: string[] = []
  for (const path of MEMBER_PAGES) {
    await page.goto(`${server.url}${path}`)
    await page.locator('main').first().waitFor()
    await page.waitForTimeout(400)
    for (const p of await elderProblems(page)) found.push(`${path}: ${p}`)
  }
  expect(found).toEqual([])

  // The largest text size: the main text is 30 px.
  await page.goto(`${server.url}/me`)
  await page.getByRole('radio', { name: '特大' }).click()
  await page.goto(`${server.url}/`)
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('30px')
  expect(await elderProblems(page)).toEqual([])

  // Back to the standard home from the 长辈版 itself.
  await page.getByTestId('elder-off').click()
  await expect(page.getByTestId('home-study-stat')).toBeVisible()
  expect(problems).toEqual([])
  await context.close()
})

test('every page a branch secretary opens meets the 长辈版’s numbers too', async ({ browser }) => {
  test.setTimeout(120_000)
  const context = await browser.newContext()
  const page = await context.newPage()
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(SECRETARY, DEMO_MEMBER.password)
  await page.getByTestId('elder-on').click()
  await expect(page.getByRole('navigation', { name: '常用' })).toBeVisible()
  const found: string[] = []
  for (const path of SECRETARY_PAGES) {
    await page.goto(`${server.url}${path}`)
    await page.locator('main').first().waitFor()
    await page.waitForTimeout(400)
    for (const p of await elderProblems(page)) found.push(`${path}: ${p}`)
  }
  expect(found).toEqual([])
  await context.close()
})
