// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { h as render } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { newId } from '../../../core/ids.ts'
import { newMeetingKey, signInLink, signToken, windowOf } from '../../../core/domain/sign-in-token.ts'
import type { Meeting } from '../../../core/schemas/entities.ts'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

const server = vi.hoisted(() => ({ offsetMs: 0, reachable: true }))
vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync() {
      return Promise.resolve({ ok: false, failure: 'network' })
    }
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({
  startScheduler: () => Object.assign(() => undefined, { stop: () => undefined, closely: () => undefined }),
}))
vi.mock('../../api/client.ts', () => ({
  api: new Proxy(
    {},
    {
      get: (_target, name) =>
        name === 'time'
          ? () => (server.reachable ? Promise.resolve({ now: Date.now() + server.offsetMs }) : Promise.reject(new Error('offline')))
          : () => Promise.reject(new Error('offline')),
    },
  ),
}))

const { default: SignInLinkPage } = await import('./SignInLinkPage.vue')
const { default: ScanPage } = await import('./ScanPage.vue')
const { default: MeetingPage } = await import('./MeetingPage.vue')
const { default: SignInCodePage } = await import('./SignInCodePage.vue')

const App = RouterView
let h: PageHarness
let page: VueWrapper | null = null

function setOnline(online: boolean): void {
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online })
}

/** The pages of every sign-in path, routed as in the app. */
function harness(role: 'member' | 'secretary'): PageHarness {
  const harness = signedInHarness({ role, name: role === 'member' ? '刘芳' : '王书记' })
  const routes = [
    { path: '/s/:meetingId/:window/:token', component: SignInLinkPage },
    { path: '/scan', component: ScanPage },
    { path: '/meetings/:id', component: MeetingPage },
    { path: '/meetings/:id/code', component: SignInCodePage },
    { path: '/:rest(.*)*', component: () => render('div') },
  ]
  return { ...harness, router: createRouter({ history: createMemoryHistory(), routes }) }
}

function meeting(over: Partial<Meeting> = {}): Meeting {
  const now = new Date().toISOString()
  return {
    id: newId(),
    orgId: h.user.orgId,
    branchId: h.user.branchId,
    type: 'branch_committee',
    topic: '学习贯彻全会精神',
    startsAt: now,
    durationMinutes: 90,
    place: '三楼会议室',
    organiserId: newId(),
    speaker: '',
    expectedIds: [h.user.id],
    agenda: '',
    minutes: '',
    talkWithId: null,
    talkKind: null,
    photoIds: [],
    createdAt: now,
    signKey: newMeetingKey(),
    updatedAt: now,
    deleted: false,
    ...over,
  }
}

/** The path of the code the organiser's phone shows now (what the member's camera opens). */
async function codePath(meetingId: string, key: string, at = Date.now()): Promise<string> {
  const w = windowOf(at)
  return new URL(signInLink('https://dj.example.cn', meetingId, w, await signToken(key, meetingId, w))).pathname
}

const hhmm = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16)

beforeEach(() => {
  localStorage.clear()
  server.offsetMs = 0
  server.reachable = true
  setOnline(true)
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

describe('signing in to a meeting this phone has not synced', () => {
  it('camera link, offline: a strong 已签到（联网后上传） with the time, not "会议尚未同步到本机"', async () => {
    setOnline(false)
    server.reachable = false
    h = harness('member')
    const m = meeting()
    const before = Date.now()
    page = await mountPage(h, App, await codePath(m.id, m.signKey ?? ''))
    await vi.waitFor(() => expect(h.router.currentRoute.value.path).toBe(`/meetings/${m.id}`))
    await settle()
    expect(page.find('[data-testid="signed-in-title"]').text()).toBe('已签到（联网后上传）')
    expect(page.find('[data-testid="signed-in-time"]').text()).toContain(hhmm(before))
    expect(page.find('[data-testid="signed-in-no-meeting"]').exists()).toBe(true)
    expect(page.text()).not.toContain('会议尚未同步到本机')
    expect(await h.db.outbox.count()).toBe(1)
  })

  it('the same code again: still 已签到, with the first time, saying no second scan is needed', async () => {
    setOnline(false)
    h = harness('member')
    const m = meeting()
    const path = await codePath(m.id, m.signKey ?? '')
    page = await mountPage(h, App, path)
    await vi.waitFor(() => expect(h.router.currentRoute.value.path).toBe(`/meetings/${m.id}`))
    const first = (await h.db.attendance.toArray())[0]?.signedAt
    await h.router.push(path)
    await vi.waitFor(() => expect(h.router.currentRoute.value.query.signedIn).toBe('already'))
    await settle()
    expect(page.find('[data-testid="signed-in-title"]').text()).toBe('已签到（联网后上传）')
    expect(page.find('[data-testid="signed-in-already"]').exists()).toBe(true)
    expect((await h.db.attendance.toArray()).map((a) => a.signedAt)).toEqual([first])
  })

  it('scan in the app (a pasted link), meeting known: the same success state with what the phone knows of the meeting', async () => {
    setOnline(false)
    h = harness('member')
    const m = meeting()
    await h.db.meetings.put({ ...m, signKey: null })
    page = await mountPage(h, App, '/scan')
    await page.find('input[aria-label="签到链接"]').setValue(`https://dj.example.cn${await codePath(m.id, m.signKey ?? '')}`)
    await page.find('form').trigger('submit')
    await vi.waitFor(() => expect(h.router.currentRoute.value.path).toBe(`/meetings/${m.id}`))
    await settle()
    expect(page.find('[data-testid="signed-in-title"]').text()).toBe('已签到（联网后上传）')
    expect(page.find('[data-testid="signed-in"]').text()).toContain('学习贯彻全会精神')
  })
})

describe('sign-in outside the meeting’s sign-in time', () => {
  it('the organiser’s code page for tomorrow’s meeting shows when sign-in opens, and no code', async () => {
    h = harness('secretary')
    const tomorrow = meeting({ startsAt: new Date(Date.now() + 24 * 3600_000).toISOString(), organiserId: h.user.id })
    await h.db.meetings.put(tomorrow)
    page = await mountPage(h, App, `/meetings/${tomorrow.id}/code`)
    await settle()
    expect(page.find('[data-testid="sign-in-qr"]').exists()).toBe(false)
    expect(page.find('[data-testid="sign-in-link"]').text()).toBe('')
    const closed = page.find('[data-testid="sign-in-closed"]').text()
    expect(closed).toContain('签到尚未开始')
    expect(closed).toContain(hhmm(Date.parse(tomorrow.startsAt) - 3600_000))
  })

  it('the member’s phone refuses at scan time a code of a meeting it knows that is not open, saying when it opens', async () => {
    h = harness('member')
    const tomorrow = meeting({ startsAt: new Date(Date.now() + 24 * 3600_000).toISOString() })
    await h.db.meetings.put({ ...tomorrow, signKey: null })
    page = await mountPage(h, App, await codePath(tomorrow.id, tomorrow.signKey ?? ''))
    await vi.waitFor(() => expect(page?.find('[data-testid="sign-in-error"]').exists()).toBe(true))
    expect(page.find('[data-testid="sign-in-error"]').text()).toContain('签到尚未开始')
    expect(await h.db.attendance.count()).toBe(0)
  })
})

describe('an organiser’s phone clock two minutes fast', () => {
  it('online, the code page follows the server’s clock and tells the organiser the phone’s time is off', async () => {
    server.offsetMs = -120_000 // the server is two minutes behind this phone: the phone is fast
    h = harness('secretary')
    const m = meeting({ organiserId: h.user.id })
    await h.db.meetings.put(m)
    page = await mountPage(h, App, `/meetings/${m.id}/code`)
    await vi.waitFor(() => expect(page?.find('[data-testid="clock-warning"]').exists()).toBe(true))
    expect(page.find('[data-testid="clock-warning"]').text()).toContain('快 2 分钟')
    await vi.waitFor(() => {
      const shown = Number(/\/s\/[0-9a-f-]{36}\/(\d+)\//.exec(page?.find('[data-testid="sign-in-link"]').text() ?? '')?.[1])
      expect(Math.abs(shown - windowOf(Date.now() - 120_000))).toBeLessThanOrEqual(1)
    })
  })

  it('a member whose scan is refused as expired reads that a phone clock may be wrong', async () => {
    h = harness('member')
    const m = meeting()
    page = await mountPage(h, App, await codePath(m.id, m.signKey ?? '', Date.now() + 120_000))
    await vi.waitFor(() => expect(page?.find('[data-testid="sign-in-error"]').exists()).toBe(true))
    expect(page.find('[data-testid="sign-in-error"]').text()).toContain('组织者或您的手机时间不准')
  })
})
