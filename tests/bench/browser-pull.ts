import SQLite from 'better-sqlite3'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import { newId } from '../../src/core/ids.ts'
import { chinaToday } from '../../src/core/domain/china-time.ts'
import type { AppServer } from '../e2e/support/server.ts'
import { logIn } from './browser.ts'

export interface BrowserPullResult {
  rows: number
  ms: number
  /** Peak JS heap of the page while pulling (sampled every 500 ms): what the phone must have room for. */
  peakHeapMb: number
  /**
   * The heap after a forced garbage collection once half the rows were stored, and once all were:
   * what the app holds. The flatness check compares these two: the sampled heap also counts the
   * garbage of the pages already written that V8 has not collected yet, and how much it lets pile
   * up before collecting depends on its heuristics (allocation rate, heap size), not on the app.
   */
  midHeapMb: number
  endHeapMb: number
  /** Heap sampled every 500 ms, for the report (highest in each half). */
  heapSamplesMb: number[]
}

/**
 * The demo member's first pull through the app in Chromium's real IndexedDB: `rows` study records
 * of this month are added to the member on the server (straight into its SQLite file, numbered
 * like pushed rows), then the member signs in on a fresh browser profile with the home screen
 * open (its month query is live while the pull runs). Time from the tap on 登录 until every row is
 * in the device database; JS heap sampled through the DevTools protocol.
 */
export async function measureBrowserPull(browser: Browser, server: AppServer, rows = 100_000): Promise<BrowserPullResult> {
  const db = new SQLite(join(server.dataDir, 'suixing.sqlite'))
  const member = db.prepare("select id, branch_id, org_id from users where phone = '13900000101'").get() as {
    id: string
    branch_id: string | null
    org_id: string
  }
  const today = chinaToday(new Date())
  const insert = db.prepare(
    `insert into study_records (id, owner_id, branch_id, org_id, kind, title, date, minutes, notes, source_url, created_at, updated_at, deleted, seq)
     values (?, ?, ?, ?, 'self_study', ?, ?, 45, '', '', ?, ?, 0, ?)`,
  )
  db.transaction(() => {
    const head = Number((db.prepare("select value from counters where name = 'seq'").get() as { value: number }).value)
    const now = new Date().toISOString()
    for (let i = 1; i <= rows; i++) {
      const day = `${today.slice(0, 8)}${String(1 + (i % Number(today.slice(8)))).padStart(2, '0')}`
      insert.run(newId(), member.id, member.branch_id, member.org_id, `批量学习记录 ${i}`, day, now, now, head + i)
    }
    db.prepare("update counters set value = ? where name = 'seq'").run(head + rows)
  })()
  const expected = Number(
    (db.prepare('select count(*) as n from study_records where owner_id = ? and deleted = 0').get(member.id) as { n: number }).n,
  )
  // What the home screen shows once the pull is over (its month query reads once at the end).
  const thisMonth = Number(
    (
      db
        .prepare('select count(*) as n from study_records where owner_id = ? and deleted = 0 and date like ?')
        .get(member.id, `${today.slice(0, 7)}-%`) as { n: number }
    ).n,
  )
  db.close()

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  const heap = async (): Promise<number> => {
    const { metrics } = await cdp.send('Performance.getMetrics')
    return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20
  }
  const samples: number[] = []
  const sampler = setInterval(() => {
    void heap()
      .then((mb) => samples.push(mb))
      .catch(() => undefined)
  }, 500)
  const started = Date.now()
  await logIn(page, server)
  // Done when the device database holds every row (counted through a second, read-only connection).
  const stored = (userId: string) =>
    page.evaluate(async (userId) => {
      if (!(await indexedDB.databases()).some((d) => d.name === `suixing-account-${userId}`)) return 0
      const open = indexedDB.open(`suixing-account-${userId}`)
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result)
        open.onerror = () => reject(open.error)
      })
      try {
        if (!db.objectStoreNames.contains('study_records')) return 0
        const count = db.transaction('study_records').objectStore('study_records').count()
        return await new Promise<number>((resolve, reject) => {
          count.onsuccess = () => resolve(count.result)
          count.onerror = () => reject(count.error)
        })
      } finally {
        db.close()
      }
    }, userId)
  const afterGc = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage')
    return heap()
  }
  const deadline = Date.now() + 600_000
  let midHeapMb: number | null = null
  for (;;) {
    const n = await stored(member.id)
    if (n >= expected) break
    if (Date.now() > deadline) throw new Error('the pull did not finish within 10 minutes')
    // Half the rows stored: what the app holds then (a collection takes a few ms of the pull's time).
    if (midHeapMb === null && n >= expected / 2) midHeapMb = await afterGc()
    await new Promise((r) => setTimeout(r, 250))
  }
  const ms = Date.now() - started
  clearInterval(sampler)
  // The end: the home screen has read the month once the pull released its live queries; then what the app holds.
  await page
    .getByTestId('home-study-stat')
    .locator('strong')
    .first()
    .filter({ hasText: new RegExp(`^${thisMonth}$`) })
    .waitFor({ timeout: 60_000 })
  const endHeapMb = await afterGc()
  await context.close()
  if (midHeapMb === null) throw new Error('the pull was not seen half done')
  return { rows: expected, ms, peakHeapMb: Math.max(...samples, endHeapMb), midHeapMb, endHeapMb, heapSamplesMb: samples }
}
