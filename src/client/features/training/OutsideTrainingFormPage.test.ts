// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

vi.mock('../../api/training-client.ts', () => ({ trainingApi: { training: () => Promise.reject(new Error('offline')) } }))
vi.mock('../../sync/engine.ts', () => ({ SyncEngine: class {} }))
// Compression on the phone takes a moment: the test decides when it ends.
const compression = vi.hoisted(() => ({ finish: (): void => undefined }))
vi.mock('../../photos/compress.ts', () => ({
  compressPhoto: () =>
    new Promise((resolve) => {
      compression.finish = () => resolve({ blob: new Blob(['jpeg'], { type: 'image/jpeg' }), width: 1600, height: 1200 })
    }),
}))
const { default: OutsideTrainingFormPage } = await import('./OutsideTrainingFormPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  h = signedInHarness({ role: 'member', name: '张三' })
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

describe('登记其他培训', () => {
  it('saves on the phone, offline, with the 学时 of the certificate turned into minutes by the hour length kept on the phone', async () => {
    await h.db.meta.put({
      key: 'training',
      value: { settings: { types: ['party_lesson'], minutesPerHour: 60 }, custom: true, flags: {}, probations: [] },
    })
    page = await mountPage(h, OutsideTrainingFormPage, '/training/new')
    await page.get('[data-testid="outside-title"]').setValue('县委党校党员轮训')
    await page.get('[data-testid="outside-hours"]').setValue('4.5')
    await page.get('form').trigger('submit')
    await settle()
    // The write path is loaded on the first write: wait for it.
    await vi.waitFor(async () => expect(await h.db.outside_trainings.count()).toBe(1))
    const rows = await h.db.outside_trainings.toArray()
    expect(rows.map((r) => [r.title, r.minutes, r.memberId, r.confirmedAt])).toEqual([['县委党校党员轮训', 270, h.user.id, null]])
    expect(await h.db.outbox.count()).toBe(1)
    expect(h.router.currentRoute.value.path).toBe('/training')
  })

  it('保存 tapped while the certificate is still being processed waits for it: the record is never saved without it', async () => {
    page = await mountPage(h, OutsideTrainingFormPage, '/training/new')
    await page.get('[data-testid="outside-title"]').setValue('县委党校党员轮训')
    await page.get('[data-testid="outside-hours"]').setValue('8')
    const input = page.get('[data-testid="outside-photos"]')
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], 'cert.jpg', { type: 'image/jpeg' })], configurable: true })
    await input.trigger('change')
    await page.get('form').trigger('submit')
    await settle()
    expect(await h.db.outside_trainings.count()).toBe(0)
    compression.finish()
    await vi.waitFor(async () => expect(await h.db.outside_trainings.count()).toBe(1))
    const [row] = await h.db.outside_trainings.toArray()
    expect(row?.photoIds).toHaveLength(1)
    expect(await h.db.photo_blobs.count()).toBe(1)
  })

  it('says why it cannot save, and saves nothing', async () => {
    page = await mountPage(h, OutsideTrainingFormPage, '/training/new')
    await page.get('[data-testid="outside-hours"]').setValue('2')
    await page.get('form').trigger('submit')
    await vi.waitFor(() => expect(page?.find('[data-testid="outside-error"]').exists()).toBe(true))
    expect(page.get('[data-testid="outside-error"]').text()).toBe('请填写培训名称')
    await page.get('[data-testid="outside-title"]').setValue('网络培训')
    await page.get('[data-testid="outside-end"]').setValue('2999-01-01')
    await page.get('form').trigger('submit')
    await settle()
    expect(page.get('[data-testid="outside-error"]').text()).toBe('培训结束后再登记')
    expect(await h.db.outside_trainings.count()).toBe(0)
  })
})
