// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { DBCore } from 'dexie'
import { newId } from '../../../core/ids.ts'
import type { Followup, Meeting, Rectification, StudyRecord } from '../../../core/schemas/entities.ts'
import type { Change, PullResponse } from '../../../core/sync/protocol.ts'
import { monthOf } from '../study/study-summary.ts'
import { REFILL_KEY, type AccountDb } from '../../db/account-db.ts'
import { SyncEngine } from '../../sync/engine.ts'
import { applyPage } from '../../sync/apply.ts'
import { mountPage, settle, settleUntil, signedInHarness, type PageHarness } from '../../testing/page.ts'

// Nothing leaves the process: the cards' own requests (reminders, the administrator's guide) answer nothing.
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => new Promise(() => undefined) }) }))
const { default: HomePage } = await import('./HomePage.vue')
const { usePrivacyStore } = await import('../privacy/privacy.store.ts')

const EPOCH = '0196f0e2-7a4b-7c3d-8e9f-0a1b2c3d4e5f'
const PAGES = 12
const ROWS_PER_PAGE = 50

/**
 * Every read the device database answers, as `table.operation`, except the engine's own
 * bookkeeping of a page (its cursor, the refill note, the outbox it checks before applying).
 */
function countReads(db: AccountDb): string[] {
  const reads: string[] = []
  const own = (table: string, key?: unknown) => table === 'outbox' || (table === 'meta' && (key === 'cursor' || key === REFILL_KEY))
  db.use({
    stack: 'dbcore',
    name: 'count-reads',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name) {
        const t = down.table(name)
        const note = (op: string, key?: unknown) => {
          if (!own(name, key)) reads.push(`${name}.${op}${name === 'meta' ? `(${String(key)})` : ''}`)
        }
        return {
          ...t,
          get: (req) => (note('get', req.key), t.get(req)),
          getMany: (req) => (note('getMany'), t.getMany(req)),
          query: (req) => (note('query'), t.query(req)),
          openCursor: (req) => (note('openCursor'), t.openCursor(req)),
          count: (req) => (note('count'), t.count(req)),
        }
      },
    }),
  })
  return reads
}

/**
 * A first pull of `PAGES` pages: each brings study records of this month for the signed-in
 * person and touches every table the home screen's cards follow (meetings, follow-ups, 整改),
 * so a live query that does not pause during the pull reads again after every page.
 */
function pages(h: PageHarness): Change[][] {
  const { id: me, orgId, branchId } = h.user
  const now = new Date().toISOString()
  const day = `${monthOf(new Date())}-01`
  const meetingId = newId()
  const followupId = newId()
  const rectifyId = newId()
  return Array.from({ length: PAGES }, (_, p) => {
    const seq = (i: number) => p * (ROWS_PER_PAGE + 3) + i + 1
    const study = Array.from({ length: ROWS_PER_PAGE }, (_, i): Change => {
      const row: StudyRecord = {
        id: newId(),
        ownerId: me,
        branchId,
        orgId,
        kind: 'self_study',
        title: `学习记录 ${p}-${i}`,
        date: day,
        minutes: 30,
        notes: '',
        sourceUrl: '',
        createdAt: now,
        updatedAt: now,
        deleted: false,
      }
      return { table: 'study_records', rowId: row.id, seq: seq(i), deleted: false, row }
    })
    const meeting: Meeting = {
      id: meetingId,
      orgId,
      branchId,
      type: 'party_lesson',
      topic: `党课 第 ${p + 1} 次修改`,
      startsAt: now,
      durationMinutes: 60,
      place: '会议室',
      organiserId: me,
      speaker: '',
      expectedIds: [me],
      agenda: '',
      minutes: '',
      talkWithId: null,
      talkKind: null,
      photoIds: [],
      createdAt: now,
      signKey: null,
      updatedAt: now,
      deleted: false,
    }
    const followup: Followup = {
      id: followupId,
      orgId,
      branchId,
      householdId: null,
      visitId: newId(),
      text: `修路灯 ${p + 1}`,
      ownerId: me,
      dueOn: day,
      createdAt: now,
      closedAt: null,
      closeNote: '',
      updatedAt: now,
      deleted: false,
    }
    const rectify: Rectification = {
      id: rectifyId,
      orgId,
      branchId: branchId ?? newId(),
      year: Number(day.slice(0, 4)),
      text: `理论学习不够系统 ${p + 1}`,
      ownerId: me,
      dueOn: day,
      createdAt: now,
      closedAt: null,
      closedBy: null,
      closeNote: '',
      updatedAt: now,
      deleted: false,
    }
    return [
      ...study,
      { table: 'meetings', rowId: meetingId, seq: seq(ROWS_PER_PAGE), deleted: false, row: meeting },
      { table: 'followups', rowId: followupId, seq: seq(ROWS_PER_PAGE + 1), deleted: false, row: followup },
      { table: 'rectifications', rowId: rectifyId, seq: seq(ROWS_PER_PAGE + 2), deleted: false, row: rectify },
    ]
  })
}

let h: PageHarness
let page: VueWrapper | null = null
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

const studyStat = () => page?.find('[data-testid="home-study-stat"]').text() ?? ''

describe.each(['member', 'secretary'] as const)('首页 open during a many-page first pull (%s)', (role) => {
  it('no live query of the home screen or its cards reads again while the pages arrive; each reads once at the end', async () => {
    h = signedInHarness({ role })
    const reads = countReads(h.db)
    const all = pages(h)
    // The first page arrives before the home screen is drawn (its cards then show and follow their tables).
    await applyPage(h.db, all[0] ?? [], `${EPOCH}:1`, false)
    page = await mountPage(h, HomePage)
    // A first sign-in passes the 个人信息保护说明 while the pull runs: its store's live query is followed too.
    usePrivacyStore()
    const shown = (id: string) => page?.find(`[data-testid="${id}"]`).exists() === true
    await settleUntil(() => studyStat().includes(String(ROWS_PER_PAGE)) && shown('home-rectify') && shown('home-followups'))
    expect(studyStat()).toContain(String(ROWS_PER_PAGE))
    // The cards that follow the other tables are on screen (their stores' live queries with them).
    expect([shown('home-rectify'), shown('home-followups')]).toEqual([true, true])
    await settle()

    /** Reads of the device database while each page after the first was served (the previous one applied and followed). */
    const during: string[][] = []
    let served = 1
    let mark = reads.length
    const api = {
      me: () => Promise.reject(new Error('not asked in a pull')),
      push: () => Promise.reject(new Error('not asked in a pull')),
      pull: async (): Promise<PullResponse> => {
        // Time for live queries to run again after the page just applied, as they would between two requests.
        await settle(4)
        if (served > 1) during.push(reads.slice(mark))
        mark = reads.length
        const changes = all[served] ?? []
        served++
        return { reset: false, cursor: `${EPOCH}:${served * 100}`, hasMore: served < PAGES, changes }
      },
    }
    await new SyncEngine(h.db, api).pull()
    await settle(4)
    during.push(reads.slice(mark))
    expect(served).toBe(PAGES)
    // The engine's first page is applied before it knows more follow (its reads are the usual ones);
    // the hold covers the pages after it; the last window holds the reads at the release.
    const held = during.slice(1, -1)
    expect(held).toHaveLength(PAGES - 3) // the pull brings PAGES - 1 pages (the first was applied before the home screen opened)
    // Nothing the pages wrote is read while they arrive, and nothing is read after page after page
    // (a one-off read, such as the device's id for a card loaded meanwhile, is not a live query).
    expect(held.flat().filter((r) => /^(study_records|meetings|followups|rectifications)\./.test(r))).toEqual([])
    expect(held.flat().filter((r) => held.filter((w) => w.includes(r)).length > 1)).toEqual([])

    // Released: every paused query read once and shows the pull's result.
    await settleUntil(() => studyStat().includes(String(PAGES * ROWS_PER_PAGE)))
    expect(studyStat()).toContain(String(PAGES * ROWS_PER_PAGE))
    const atEnd = during.at(-1) ?? []
    expect(atEnd.filter((r) => r.startsWith('study_records.')).length).toBeGreaterThan(0)
    expect(atEnd.filter((r) => r.startsWith('study_records.')).length).toBeLessThanOrEqual(2)
  })
})

describe('the read counter of this test', () => {
  it('sees the home screen read again after each page written without the pull’s hold (the check above is not vacuous)', async () => {
    h = signedInHarness({ role: 'secretary' })
    const reads = countReads(h.db)
    const all = pages(h)
    await applyPage(h.db, all[0] ?? [], `${EPOCH}:1`, false)
    page = await mountPage(h, HomePage)
    await settleUntil(() => studyStat().includes(String(ROWS_PER_PAGE)))
    await settle()
    const before = reads.length
    for (let p = 1; p < 4; p++) {
      await applyPage(h.db, all[p] ?? [], `${EPOCH}:${p + 1}`, false)
      await settle(4)
    }
    const again = reads.slice(before)
    for (const table of ['study_records', 'meetings', 'followups', 'rectifications'])
      expect(again.filter((r) => r.startsWith(`${table}.`)).length, table).toBeGreaterThanOrEqual(3)
  })
})
