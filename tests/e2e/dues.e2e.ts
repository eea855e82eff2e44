import { test, expect, watchPage } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { DuesPage } from './pages/dues.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610))

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

// The demo's 机关第一党支部: 赵磊 is its 收缴员; 马晓红 pays by the quarter and owes this one.
const COLLECTOR = { phone: '13900000104', password: 'demo1234' }
const QUARTERLY_MEMBER = { name: '马晓红', phone: '13900000110', password: 'demo1234' }

test("the 收缴员 records a quarter's dues offline at the branch meeting; the member sees the receipt after sync", async ({ browser }) => {
  test.setTimeout(120_000)
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = watchPage(page)
  const shell = new Shell(page)
  const dues = new DuesPage(page)

  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(COLLECTOR.phone, COLLECTOR.password)
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible()
  await shell.expectUnsynced(0)
  await shell.waitForServiceWorker()
  await dues.openBranch()
  await expect(dues.line(QUARTERLY_MEMBER.name)).toContainText('应交')

  // The meeting room has no signal: one tap records the quarter, with its receipt, on the phone.
  await context.setOffline(true)
  await dues.method('cash')
  const receiptNo = await dues.recordQuarter(QUARTERLY_MEMBER.name)
  expect(receiptNo).toMatch(/^DF\d{8}-[0-9A-F]{8}$/)
  await page.reload()
  await expect(dues.line(QUARTERLY_MEMBER.name).getByTestId('dues-line-paid')).toBeVisible()

  // Signal returns: the receipt is delivered.
  await context.setOffline(false)
  await page.goto(`${server.url}/`)
  await shell.expectUnsynced(0)

  // The member opens 我的 → 党费 on their own phone and finds the receipt, in their name.
  const other = await browser.newContext()
  const memberPage = await other.newPage()
  await new LoginPage(memberPage).open(server.url)
  await new LoginPage(memberPage).login(QUARTERLY_MEMBER.phone, QUARTERLY_MEMBER.password)
  await expect(memberPage.getByRole('heading', { name: /您好/ })).toBeVisible()
  const mine = new DuesPage(memberPage)
  await mine.openMine()
  const receipt = mine.receipt(receiptNo)
  await expect(receipt).toBeVisible()
  await expect(receipt).toContainText('按季')
  await expect(receipt).toContainText('现金')
  await expect(receipt).toContainText('赵磊')
  await expect(memberPage.getByTestId('dues-month-paid')).toContainText(receiptNo)

  expect(problems).toEqual([])
  await other.close()
  await context.close()
})
