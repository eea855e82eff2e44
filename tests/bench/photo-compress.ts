import sharp from 'sharp'
import type { Browser } from '@playwright/test'
import { signedInPage } from './browser.ts'
import type { AppServer } from '../e2e/support/server.ts'

/**
 * A visit with 10 camera photos (4000x3000 JPEG): from choosing them until the visit is saved
 * with all 10 compressed and stored in IndexedDB, on a phone-like CPU (4x throttling), offline.
 */
export async function measurePhotoCompression(
  browser: Browser,
  server: AppServer,
): Promise<{ ms: number; perPhotoMs: number; storedKb: number }> {
  const photos = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 20 * i, g: 120, b: 60 } } })
        .composite([
          {
            input: Buffer.from(`<svg width="4000" height="3000"><text x="200" y="1500" font-size="600">走访 ${i}</text></svg>`),
            top: 0,
            left: 0,
          },
        ])
        .jpeg({ quality: 90 })
        .toBuffer()
        .then((buffer) => ({ name: `p${i}.jpg`, mimeType: 'image/jpeg', buffer })),
    ),
  )
  const { context, page } = await signedInPage(browser, server)
  try {
    await page.goto(`${server.url}/visits/new`)
    await page.getByLabel('走访地点').waitFor()
    await context.setOffline(true)
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    await page.getByLabel('走访地点').fill('基准测试')
    const t = Date.now()
    await page.getByTestId('visit-photos').setInputFiles(photos)
    await page.locator('.thumb img').nth(9).waitFor({ timeout: 300_000 })
    await page.getByTestId('visit-save').click()
    await page.getByRole('heading', { name: '基准测试' }).waitFor({ timeout: 60_000 })
    const ms = Date.now() - t
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
    const storedKb = await page.evaluate(async () => {
      const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.startsWith('suixing-account-')) ?? ''
      return new Promise<number>((resolve) => {
        const open = indexedDB.open(name)
        open.onsuccess = () => {
          const all = open.result.transaction('photo_blobs').objectStore('photo_blobs').getAll()
          all.onsuccess = () => resolve(Math.round((all.result as { size: number }[]).reduce((a, p) => a + p.size, 0) / 1024))
        }
      })
    })
    return { ms, perPhotoMs: Math.round(ms / 10), storedKb }
  } finally {
    await context.close()
  }
}
