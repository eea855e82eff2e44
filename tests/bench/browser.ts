import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { CHROMIUM_ARGS } from '../../playwright.config.ts'
import type { AppServer } from '../e2e/support/server.ts'
import { acceptPrivacyIfAsked } from '../e2e/pages/privacy.page.ts'
import { median } from './machine.ts'

export const launch = (): Promise<Browser> =>
  chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })

/** The demo member signs in through the login page. */
export async function logIn(page: Page, server: AppServer): Promise<void> {
  await page.goto(`${server.url}/login`)
  await page.getByLabel('手机号').fill('13900000101')
  await page.getByLabel('密码').fill('demo1234')
  await page.getByTestId('login-submit').click()
  // A first sign-in reads and accepts the 个人信息保护说明, as every member does once; then 首页.
  await acceptPrivacyIfAsked(page)
  if (new URL(page.url()).pathname !== '/') await page.goto(`${server.url}/`)
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
 * service worker and IndexedDB. `content`: from navigation start until the home screen shows the
 * member's name and this month's study count (the service worker's painted snapshot counts: it is
 * the member's real home as last seen); `interactive`: until the live app has replaced any
 * snapshot and shows them; `tbt`: the long tasks' time over 50 ms until then.
 */
export async function measureColdStart(
  browser: Browser,
  server: AppServer,
  runs = 7,
): Promise<{ median: number; samples: number[]; interactive: number; tbt: number; snapshots: number }> {
  const { context, page } = await signedInPage(browser, server)
  // The member has seen their home with this month's records (the app saves its snapshot then).
  const saved = () =>
    page.evaluate(async () => {
      const stored = await (await caches.open('suixing-home-snapshot')).match('/__home-snapshot.json')
      return stored ? /home-study-stat[^]*?<strong>[1-9]/.test(await stored.text()) : false
    })
  for (const end = Date.now() + 30_000; !(await saved());) {
    if (Date.now() > end) throw new Error('no snapshot of the home screen was saved')
    // Leaving the app (the phone's home button) saves it too.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
    await page.waitForTimeout(250)
  }
  await context.setOffline(true)
  await context.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] }
    w.__longTasks = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.startTime, e.duration)
    }).observe({ type: 'longtask', buffered: true })
  })
  const samples: number[] = []
  const interactive: number[] = []
  const tbt: number[] = []
  let snapshots = 0
  for (let i = 0; i < runs; i++) {
    const fresh = await context.newPage()
    const cdp = await context.newCDPSession(fresh)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    await fresh.goto(`${server.url}/`, { waitUntil: 'commit' })
    const shown = await fresh.waitForFunction(
      () => {
        const name = document.querySelector('.hero__name')
        const stat = document.querySelector('[data-testid=home-study-stat] strong')
        return name && stat && stat.textContent !== '0'
          ? { at: performance.now(), snapshot: name.closest('[data-snapshot]') !== null }
          : null
      },
      null,
      { polling: 'raf', timeout: 15_000 },
    )
    const first = (await shown.jsonValue()) as { at: number; snapshot: boolean }
    if (first.snapshot) snapshots++
    samples.push(Math.round(first.at))
    const live = await fresh.waitForFunction(
      () => {
        if (document.querySelector('[data-snapshot]')) return null
        const stat = document.querySelector('[data-testid=home-study-stat] strong')
        return stat && stat.textContent !== '0' ? performance.now() : null
      },
      null,
      { polling: 'raf', timeout: 15_000 },
    )
    const at = Number(await live.jsonValue())
    interactive.push(Math.round(at))
    const tasks = await fresh.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks)
    let blocking = 0
    for (let k = 0; k < tasks.length; k += 2) if ((tasks[k] as number) < at) blocking += Math.max(0, (tasks[k + 1] as number) - 50)
    tbt.push(Math.round(blocking))
    await fresh.close()
  }
  await page.close()
  await context.close()
  return { median: median(samples), samples, interactive: median(interactive), tbt: median(tbt), snapshots }
}

/**
 * One local write until the list shows it, through the real UI: from the tap on 保存 (captured
 * in the page) until the new title is in the study list, and until the write's IndexedDB
 * transaction has committed (the app's `suixing:write-committed` performance mark). Offline, so
 * no network is involved. The first save of a visit is included (the form loads its write code
 * while it is open).
 */
export async function measureWriteLatency(
  browser: Browser,
  server: AppServer,
  runs = 25,
): Promise<{ p50: number; p95: number; committedP50: number; committedP95: number }> {
  const { context, page } = await signedInPage(browser, server)
  await context.setOffline(true)
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '学习' }).click()
  const shown: number[] = []
  const committed: number[] = []
  for (let i = 0; i < runs; i++) {
    const title = `计时写入 ${i} ${Date.now()}`
    await page.getByTestId('study-add').click()
    await page.getByLabel('学习内容').fill(title)
    // A string, not a function: the page gets exactly this code (no helpers a bundler might add).
    await page.evaluate(`(function (t) {
      var start = 0
      var shown = new Promise(function (resolve) {
        document.querySelector('[data-testid=study-save]').addEventListener('click', function () { start = performance.now() }, { capture: true, once: true })
        var obs = new MutationObserver(function () {
          var list = document.querySelector('[data-testid=study-list]')
          if (start && list && list.textContent.includes(t)) { obs.disconnect(); resolve(performance.now() - start) }
        })
        obs.observe(document.body, { subtree: true, childList: true, characterData: true })
      })
      var committed = new Promise(function (resolve) {
        var po = new PerformanceObserver(function (list) {
          var e = list.getEntries().find(function (x) { return start && x.name === 'suixing:write-committed' && x.startTime >= start })
          if (e) { po.disconnect(); resolve(e.startTime - start) }
        })
        po.observe({ type: 'mark' })
      })
      window.__benchDone = Promise.all([shown, committed])
    })(${JSON.stringify(title)})`)
    await page.getByTestId('study-save').click()
    const [s, c] = (await page.evaluate('window.__benchDone')) as [number, number]
    shown.push(s)
    committed.push(c)
  }
  await context.close()
  const r = (x: number) => Math.round(x * 10) / 10
  return { p50: r(median(shown)), p95: r(p95(shown)), committedP50: r(median(committed)), committedP95: r(p95(committed)) }
}

/**
 * A first visit to the login page on a slow line (400 kbps down and up, 400 ms round trip) with a
 * 4x slower CPU, cache and service worker empty: from navigation start until the phone-number field
 * can be typed in.
 */
export async function measureSlowLogin(browser: Browser, server: AppServer, runs = 3): Promise<{ median: number; samples: number[] }> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 400,
      downloadThroughput: 50_000,
      uploadThroughput: 50_000,
    })
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    await page.goto(`${server.url}/login`, { waitUntil: 'commit' })
    await page.getByLabel('手机号').waitFor({ state: 'visible', timeout: 30_000 })
    samples.push(Math.round(await page.evaluate(() => performance.now())))
    await context.close()
  }
  return { median: median(samples), samples }
}
