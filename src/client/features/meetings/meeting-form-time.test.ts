// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({
  startScheduler: () => Object.assign(() => undefined, { stop: () => undefined, closely: () => undefined }),
}))

const { default: MeetingFormPage } = await import('./MeetingFormPage.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  vi.useRealTimers()
  await h.db.delete()
})

describe('安排会议: when it starts and when members can sign in', () => {
  it('starts in the coming half hour (not at a fixed 14:30) and shows the sign-in window, which follows the time typed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-30T09:12:00+08:00'))
    h = signedInHarness({ role: 'secretary' })
    page = await mountPage(h, MeetingFormPage, '/meetings/new')
    expect((page.find('input[name="date"]').element as HTMLInputElement).value).toBe('2026-11-30')
    expect((page.find('input[name="time"]').element as HTMLInputElement).value).toBe('09:30')
    expect(page.find('[data-testid="sign-in-window"]').text()).toBe('签到时间：11月30日 08:30 至 12:00（会前 1 小时至会后 1 小时）')

    await page.find('input[name="time"]').setValue('14:30')
    expect(page.find('[data-testid="sign-in-window"]').text()).toBe('签到时间：11月30日 13:30 至 17:00（会前 1 小时至会后 1 小时）')
  })
})
