import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { CHROMIUM_ARGS } from '../../playwright.config.ts'
import type { AppServer } from '../e2e/support/server.ts'
import { median } from './machine.ts'

export const launch = (): Promise<Browser> =>
  chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })

/** The demo member signs in through the login page. */
export async function logIn(page: Page, server: AppServer): Promise<void> {
  await page.goto(`${server.url}/login`)
  await page.getByLabel('手机号').fill('13900000101')
  await page.getByLabel('密码').fill('demo1234')
  await page.getByTestId('login-submit').click()
  await page.getByRole('heading', { name: /您好/ }).waitFor()
}

export async function signedInPage(
  browser: Browser,
  server: AppServer,
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: options.serviceWorkers ?? 'allow' })
  const page = await context.newPage()
  await logIn(page, server)
  if (options.serviceWorkers !== 'block')
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
  return { context, page }
}

export const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] as number

/**
 * Offline cold start with 4x CPU throttling: the server is unreachable, the app opens from the
 * service worker and IndexedDB; time from navigation start until the home screen shows the
 * member's name and this month's study count.
 */
export async function measureColdStart(browser: Browser, server: AppServer, runs = 7): Promise<{ median: number; samples: number[] }> {
  const { context, page } = await signedInPage(browser, server)
  await context.setOffline(true)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const fresh = await context.newPage()
    const cdp = await context.newCDPSession(fresh)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    await fresh.goto(`${server.url}/`, { waitUntil: 'commit' })
    const t = await fresh.waitForFunction(
      () => {
        const name = document.querySelector('.hero__name')
        const stat = document.querySelector('[data-testid=home-study-stat] strong')
        return name && stat && stat.textContent !== '0' ? performance.now() : null
      },
      null,
      { polling: 'raf', timeout: 15_000 },
    )
    samples.push(Math.round(Number(await t.jsonValue())))
    await fresh.close()
  }
  await page.close()
  await context.close()
  return { median: median(samples), samples }
}

/**
 * One local write until the list shows it, through the real UI: from the tap on 保存 (captured
 * in the page) until the new title is in the study list. Offline, so no network is involved.
 */
export async function measureWriteLatency(browser: Browser, server: AppServer, runs = 25): Promise<{ p50: number; p95: number }> {
  const { context, page } = await signedInPage(browser, server)
  await context.setOffline(true)
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '学习' }).click()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const title = `计时写入 ${i} ${Date.now()}`
    await page.getByTestId('study-add').click()
    await page.getByLabel('学习内容').fill(title)
    await page.evaluate((t) => {
      const w = window as unknown as { __benchDone: Promise<number> }
      w.__benchDone = new Promise<number>((resolve) => {
        let start = 0
        document
          .querySelector('[data-testid=study-save]')
          ?.addEventListener('click', () => (start = performance.now()), { capture: true, once: true })
        const obs = new MutationObserver(() => {
          if (start && document.querySelector('[data-testid=study-list]')?.textContent?.includes(t)) {
            obs.disconnect()
            resolve(performance.now() - start)
          }
        })
        obs.observe(document.body, { subtree: true, childList: true, characterData: true })
      })
    }, title)
    await page.getByTestId('study-save').click()
    samples.push(await page.evaluate(() => (window as unknown as { __benchDone: Promise<number> }).__benchDone))
  }
  await context.close()
  return { p50: Math.round(median(samples) * 10) / 10, p95: Math.round(p95(samples) * 10) / 10 }
}
