// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))

const { default: StudyFormPage } = await import('./StudyFormPage.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  document.body.innerHTML = ''
  await h.db.delete()
})

describe('新增学习记录 opened directly by link (the reminder)', () => {
  it('保存 goes to the study list, not back out of the app', async () => {
    h = signedInHarness({ role: 'member' })
    page = await mountPage(h, StudyFormPage, '/study/new')
    await page.find('input[name="title"]').setValue('学习《中国共产党章程》')
    await page.find('input[name="minutes"]').setValue('45')
    await page.find('form').trigger('submit')
    await vi.waitFor(() => expect(h.router.currentRoute.value.fullPath).toBe('/study'), { timeout: 5000 })
    expect(await h.db.study_records.count()).toBe(1)
  })
})
