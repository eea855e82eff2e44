import { test as base, expect, type Page } from '@playwright/test'

export const DEMO_MEMBER = { phone: '13900000101', password: 'demo1234' }

/** China date and time `minutes` from now, as the meeting form takes them. */
export function chinaInputs(minutes: number): { date: string; time: string } {
  const china = new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString()
  return { date: china.slice(0, 10), time: china.slice(11, 16) }
}

/** Fails the test on any CSP violation or uncaught page error. */
export function watchPage(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`csp: ${m.text()}`)
  })
  return problems
}

export const test = base
export { expect }
