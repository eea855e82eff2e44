import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { CHROMIUM_ARGS } from '../../playwright.config.ts'

/**
 * 适老化: text follows the member's own text size setting. Emulated with the browser's default font
 * size set to 24 px (1.5 times 16) in a fresh profile; on a phone the same comes from the system's
 * text scale (`<meta name="text-scale">`), which only a real phone can show (README, "Phones and browsers").
 */
const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 12)
test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('with a larger text setting every size grows by the same factor, in the standard mode and in the 长辈版', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'suixing-text-scale-'))
  mkdirSync(join(profile, 'Default'))
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ webkit: { webprefs: { default_font_size: 24 } } }))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  try {
    const page = await context.newPage()
    const rootPx = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize))
    await new LoginPage(page).open(server.url)
    await new LoginPage(page).login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
    await page.locator('main').first().waitFor()
    // 17 px standard, times 1.5.
    await expect.poll(rootPx).toBeCloseTo(25.5, 1)
    await page.getByTestId('elder-on').click()
    // The 长辈版's 22 px root, times 1.5; its 首页's entries too.
    await expect.poll(rootPx).toBeCloseTo(33, 1)
    const entry = await page
      .getByRole('navigation', { name: '常用' })
      .getByRole('link')
      .first()
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))
    expect(entry).toBeGreaterThanOrEqual(22 * 1.5 - 0.5)
    await page.screenshot({ path: test.info().outputPath('elder-text-scale-1.5.png'), fullPage: true })
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
})
