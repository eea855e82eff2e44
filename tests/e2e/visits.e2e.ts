import sharp from 'sharp'
import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { VisitsPages } from './pages/visits.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 6)
const SECRETARY = '13900000011'

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

/** A 4000x3000 camera photo, taken with the phone turned (EXIF orientation 6: display rotated 90°). */
const cameraPhoto = (shade: number) =>
  sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: shade, g: 80, b: 40 } } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toBuffer()

test('a visit with two photos and a follow-up recorded offline survives a reload; online the photos upload and the secretary sees the visit and the overdue flag', async ({
  browser,
}) => {
  const phone = await browser.newContext()
  const page = await phone.newPage()
  const shell = new Shell(page)
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await shell.waitForServiceWorker()
  await shell.expectUnsynced(0)

  await phone.setOffline(true)
  await shell.tab('走访').click()
  const visits = new VisitsPages(page)
  const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10)
  await visits.record({
    place: '东村困难户走访',
    findings: '老人独居，药快吃完了',
    followup: { text: '代购降压药', due: yesterday },
    photos: [
      { name: 'a.jpg', buffer: await cameraPhoto(200) },
      { name: 'b.jpg', buffer: await cameraPhoto(120) },
    ],
  })
  await expect(visits.photos()).toHaveCount(2)
  await expect(visits.followups()).toContainText('已逾期')

  // Compressed on the phone: about 1600 px on the long side, upright, small.
  const stored = await visits.storedPhotos()
  expect(stored).toHaveLength(2)
  for (const p of stored) {
    expect([p.width, p.height]).toEqual([1200, 1600])
    expect(p.size).toBeLessThan(600 * 1024)
    expect(p.state).toBe('pending')
  }

  // Reload with no network: everything is still there.
  await page.reload()
  await expect(page.getByText('老人独居，药快吃完了')).toBeVisible()
  await expect(visits.photos()).toHaveCount(2)
  await expect(visits.followups()).toContainText('代购降压药')

  // Online: the visit syncs, then the photos go up in the background.
  await phone.setOffline(false)
  await page.goto(`${server.url}/`)
  await shell.expectUnsynced(0)
  await expect.poll(async () => (await visits.storedPhotos()).map((p) => p.state), { timeout: 30_000 }).toEqual(['uploaded', 'uploaded'])
  await phone.close()

  const office = await browser.newContext()
  const sec = await office.newPage()
  await new LoginPage(sec).open(server.url)
  await new LoginPage(sec).login(SECRETARY, DEMO_MEMBER.password)
  await new Shell(sec).expectUnsynced(0)
  await new Shell(sec).tab('走访').click()
  await sec.getByRole('link', { name: '走访台账' }).click()
  await expect(sec.getByTestId('ledger-followup').filter({ hasText: '代购降压药' })).toContainText('已逾期')
  await sec.getByTestId('ledger-followup').filter({ hasText: '代购降压药' }).getByRole('link').click()
  await expect(new VisitsPages(sec).photos()).toHaveCount(2)
  await expect
    .poll(() =>
      sec
        .getByTestId('visit-photo')
        .first()
        .evaluate((img) => (img as HTMLImageElement).naturalWidth),
    )
    .toBe(1200)
  await office.close()
})
