import { test, expect, DEMO_MEMBER, watchPage } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { YearEndPages } from './pages/year-end.page.ts'

/**
 * The year's end from the outside: the secretary lists a 整改 item for a member; the member ticks
 * it off on the phone with no signal; once it syncs, the secretary's list and the 述职评议 pack
 * (generated, nothing typed) show it closed.
 */
const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 13)
const SECRETARY = '13900000011'
test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('a 整改 item listed by the secretary is closed offline by its owner and the 述职评议 pack counts it', async ({ browser }) => {
  test.setTimeout(120_000)
  const secretaryContext = await browser.newContext()
  const sec = await secretaryContext.newPage()
  const secProblems = watchPage(sec)
  await new LoginPage(sec).open(server.url)
  await new LoginPage(sec).login(SECRETARY, DEMO_MEMBER.password)
  await new Shell(sec).tab('会议').click()
  const secYear = new YearEndPages(sec)
  await secYear.openRectify()
  await secYear.addRectification('理论学习不够系统，建立每月集中学习制度', '刘芳')
  await sec.goBack()
  await new Shell(sec).tab('首页').click()
  await new Shell(sec).expectUnsynced(0)

  const memberContext = await browser.newContext()
  const mem = await memberContext.newPage()
  const memProblems = watchPage(mem)
  await new LoginPage(mem).open(server.url)
  await new LoginPage(mem).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  // Waiting on the member's 首页 until 销号.
  await expect(mem.getByTestId('home-rectify')).toContainText('理论学习不够系统')
  await new Shell(mem).waitForServiceWorker()
  await memberContext.setOffline(true)
  await new Shell(mem).tab('会议').click()
  const memYear = new YearEndPages(mem)
  await memYear.openRectify()
  await memYear.close('理论学习不够系统', '已建立每月集中学习制度并执行三次')
  await mem.screenshot({ path: test.info().outputPath('rectify-closed-offline.png'), fullPage: true })
  await mem.goBack()
  await new Shell(mem).tab('首页').click()
  await new Shell(mem).expectUnsynced(1)
  await expect(mem.getByTestId('home-rectify')).toHaveCount(0)
  await memberContext.setOffline(false)
  await new Shell(mem).expectUnsynced(0)

  await sec.reload()
  await new Shell(sec).tab('会议').click()
  await secYear.openRectify()
  // Who closed it and when, as the secretary's list shows it.
  await expect(secYear.item('理论学习不够系统').getByTestId('rectify-closed')).toHaveText(
    /已销号（刘芳 · \d{4}年\d{1,2}月\d{1,2}日）：已建立每月集中学习制度并执行三次$/,
    {
      timeout: 20_000,
    },
  )
  await sec.goBack()
  await secYear.openYearReport()
  await expect(secYear.fact('整改落实', '已销号')).toContainText('1 项')
  await expect(secYear.fact('组织生活制度落实', '支部委员会')).toContainText('每月至少1次')
  await sec.screenshot({ path: test.info().outputPath('year-report.png'), fullPage: true })
  await sec.goBack()
  await secYear.openTalks()
  await expect(sec.getByTestId('talks-committee').first()).toBeVisible()
  expect([...secProblems, ...memProblems]).toEqual([])
})
