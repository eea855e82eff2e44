import lighthouse from 'lighthouse'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS } from '../../playwright.config.ts'
import type { AppServer } from '../e2e/support/server.ts'
import { logIn } from './browser.ts'
import { median } from './machine.ts'

export interface LighthouseScores {
  page: string
  performance: number
  accessibility: number
  bestPractices: number
  seo: number
  failing: string[]
  metrics: Record<string, string>
  /** Performance of each run (the scores above are the medians of the runs). */
  performanceRuns: number[]
}

const DEBUG_PORT = 9333

/**
 * Lighthouse 12.2.3 with its default (mobile) preset against the production server: the login
 * page as a first visit, and the home screen of a signed-in member (storage kept), standard and
 * 长辈版. Each page is
 * audited `runs` times: the scores are the medians (Lighthouse multiplies the host's task times by
 * four, so one run on a busy machine says little), the metrics those of the median run.
 */
export async function measureLighthouse(server: AppServer, runs = 1): Promise<LighthouseScores[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--remote-debugging-port=${DEBUG_PORT}`],
  })
  try {
    const context = browser.contexts()[0] ?? (await browser.newContext())
    const page = await context.newPage()
    const out: LighthouseScores[] = []
    const auditOnce = async (path: string, keepStorage: boolean): Promise<LighthouseScores> => {
      const result = await lighthouse(`${server.url}${path}`, {
        port: DEBUG_PORT,
        output: 'json',
        logLevel: 'error',
        disableStorageReset: keepStorage,
      })
      const lhr = result?.lhr
      if (!lhr) throw new Error('lighthouse returned nothing')
      const score = (k: string) => Math.round((lhr.categories[k]?.score ?? 0) * 100)
      const failing = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric'))
        .map((a) => a.id)
      const metrics = Object.fromEntries(
        ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'speed-index', 'cumulative-layout-shift'].map(
          (id) => [id, lhr.audits[id]?.displayValue ?? ''],
        ),
      )
      const performance = score('performance')
      return {
        metrics,
        page: path,
        performance,
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        seo: score('seo'),
        failing,
        performanceRuns: [performance],
      }
    }
    const audit = async (path: string, keepStorage: boolean) => {
      const all: LighthouseScores[] = []
      for (let i = 0; i < runs; i++) all.push(await auditOnce(path, keepStorage))
      const byPerformance = [...all].sort((a, b) => a.performance - b.performance)
      const middle = byPerformance[Math.floor(all.length / 2)] as LighthouseScores
      out.push({
        ...middle,
        performance: median(all.map((r) => r.performance)),
        accessibility: median(all.map((r) => r.accessibility)),
        bestPractices: median(all.map((r) => r.bestPractices)),
        seo: median(all.map((r) => r.seo)),
        failing: [...new Set(all.flatMap((r) => r.failing))],
        performanceRuns: all.map((r) => r.performance),
      })
    }
    await audit('/login', false)
    await logIn(page, server)
    await audit('/', true)
    // The 长辈版 (适老化 mode) must keep accessibility at 100 too: the same home, switched on.
    await page.evaluate(() => localStorage.setItem('suixing.elder', '1'))
    await audit('/', true)
    const elder = out.at(-1)
    if (elder) elder.page = '/ (长辈版)'
    return out
  } finally {
    await browser.close()
  }
}
