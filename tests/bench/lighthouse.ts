import lighthouse from 'lighthouse'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS } from '../../playwright.config.ts'
import type { AppServer } from '../e2e/support/server.ts'
import { logIn } from './browser.ts'

export interface LighthouseScores {
  page: string
  performance: number
  accessibility: number
  bestPractices: number
  seo: number
  failing: string[]
  metrics: Record<string, string>
}

const DEBUG_PORT = 9333

/**
 * Lighthouse 12.2.3 with its default (mobile) preset against the production server: the login
 * page as a first visit, and the home screen of a signed-in member (storage kept).
 */
export async function measureLighthouse(server: AppServer): Promise<LighthouseScores[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--remote-debugging-port=${DEBUG_PORT}`],
  })
  try {
    const context = browser.contexts()[0] ?? (await browser.newContext())
    const page = await context.newPage()
    const out: LighthouseScores[] = []
    const audit = async (path: string, keepStorage: boolean) => {
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
      out.push({
        metrics,
        page: path,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        seo: score('seo'),
        failing,
      })
    }
    await audit('/login', false)
    await logIn(page, server)
    await audit('/', true)
    return out
  } finally {
    await browser.close()
  }
}
