import sharp from 'sharp'
import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { TrainingPages } from './pages/training.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 12)
const SECRETARY = '13900000011'

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

const certificate = () =>
  sharp({ create: { width: 2400, height: 1700, channels: 3, background: { r: 230, g: 200, b: 120 } } })
    .jpeg({ quality: 90 })
    .toBuffer()

test('a member records 党校 training offline with the certificate; after sync the secretary confirms it and the member sees it counted', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const phone = await browser.newContext()
  const page = await phone.newPage()
  const shell = new Shell(page)
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await shell.waitForServiceWorker()
  await shell.tab('我的').click()
  const mine = new TrainingPages(page)
  await mine.openMine()
  // The demo member came to every 党课 and 主题党日 this year: progress, private, against 32.
  await expect(mine.progress()).toContainText('/ 32 学时')
  // The count settles as the phone's meetings arrive: read it once it holds still.
  let before = ''
  await expect
    .poll(
      async () => {
        const now = (await mine.progress().textContent()) ?? ''
        const settled = now === before
        before = now
        return settled
      },
      { intervals: [500, 500, 1000, 1000, 2000] },
    )
    .toBe(true)

  await phone.setOffline(true)
  await mine.recordOutside({ title: '县委党校党员轮训（e2e）', hours: 8, certificate: { name: 'cert.jpg', buffer: await certificate() } })
  await expect(mine.outsideRows().filter({ hasText: '县委党校党员轮训（e2e）' })).toContainText('待确认')
  // Not counted until the secretary confirms it.
  await expect(mine.progress()).toHaveText(before)
  await phone.setOffline(false)
  const trainingUrl = page.url()
  await page.goto(`${server.url}/`)
  await shell.expectUnsynced(0)

  const desk = await browser.newContext()
  const secretaryPage = await desk.newPage()
  await new LoginPage(secretaryPage).open(server.url)
  await new LoginPage(secretaryPage).login(SECRETARY, DEMO_MEMBER.password)
  await new Shell(secretaryPage).tab('我的').click()
  const branch = new TrainingPages(secretaryPage)
  await branch.openBranch()
  // The demo's 预备党员 and the member away for four months.
  await expect(branch.probations()).toHaveCount(1)
  await expect(branch.watchRows()).toHaveCount(1)
  const row = branch.confirmRows().filter({ hasText: '县委党校党员轮训（e2e）' })
  // The certificate goes up in the background after the record: the secretary sees it once it has.
  await expect(async () => {
    await secretaryPage.reload()
    await expect(row.getByRole('img')).toBeVisible({ timeout: 3_000 })
  }).toPass({ timeout: 40_000 })
  await row.getByTestId('confirm-training').click()
  // As the secretary would: the page says it is done (stored on the phone) before they leave it.
  await expect(secretaryPage.getByText('已确认，计入学时')).toBeVisible()
  await secretaryPage.goto(`${server.url}/`)
  await new Shell(secretaryPage).expectUnsynced(0)

  await page.goto(trainingUrl)
  await expect(mine.outsideRows().filter({ hasText: '县委党校党员轮训（e2e）' })).toContainText('已确认')
  await expect(mine.progress()).not.toHaveText(before)
})
