// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'

// The write path itself is real; the test decides when it runs (held), or makes it fail.
const gate = vi.hoisted(() => ({ hold: null as null | ((write: () => Promise<void>) => Promise<void>) }))
vi.mock('../../db/write.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../db/write.ts')>()
  return {
    ...real,
    writeRow: (...args: Parameters<typeof real.writeRow>) => (gate.hold ? gate.hold(() => real.writeRow(...args)) : real.writeRow(...args)),
  }
})
const toasts = vi.hoisted(() => [] as string[])
vi.mock('vant', () => ({
  showToast: (m: string | { message: string }) => toasts.push(typeof m === 'string' ? m : m.message),
  showConfirmDialog: () => Promise.resolve(),
}))
vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))

const { signedInHarness, mountPage, settle } = await import('../../testing/page.ts')
const { default: StudyPage } = await import('./StudyPage.vue')
const { useStudyForm } = await import('./use-study-form.ts')
const { useStudyStore } = await import('./study.store.ts')

/** A write held until the test lets it go: `release` runs the real write, `fail` aborts it. */
function holdWrites() {
  let release: () => Promise<void> = () => Promise.resolve()
  let fail: (err: Error) => void = () => undefined
  gate.hold = (write) =>
    new Promise<void>((resolve, reject) => {
      release = () => write().then(resolve, reject)
      fail = reject
    })
  return { release: () => release(), fail: (err: Error) => fail(err) }
}

afterEach(() => {
  gate.hold = null
  toasts.length = 0
  document.body.innerHTML = ''
})

async function openListAndForm() {
  const h = signedInHarness({ role: 'member' })
  const list = await mountPage(h, StudyPage, '/study')
  const done = vi.fn()
  const form = useStudyForm(null, null, done)
  form.draft.title = '学习《中国共产党章程》第一章'
  form.draft.minutes = 45
  return { h, list, form, done }
}

describe('保存 a study record: on screen at once, confirmed or taken back', () => {
  it('the row is in the list (待同步) before the write has run, and stays as the stored row once it commits', async () => {
    const write = holdWrites()
    const { h, list, form, done } = await openListAndForm()

    const submitting = form.submit()
    // The write is still held: whatever the list shows now, it shows without IndexedDB having the row.
    await flushPromises()
    // Nothing is in IndexedDB yet, but the list shows the row and the form has gone back to it.
    expect(await h.db.study_records.count()).toBe(0)
    expect(list.text()).toContain('学习《中国共产党章程》第一章')
    expect(list.find('[data-testid="record-pending"]').exists()).toBe(true)
    expect(done).toHaveBeenCalled()
    expect(toasts).toEqual([])

    await write.release()
    await submitting
    await settle()
    // Stored (row and outbox together), shown once, and the optimistic entry gave way to the live row.
    const rows = await h.db.study_records.toArray()
    expect(rows).toHaveLength(1)
    expect(await h.db.outbox.count()).toBe(1)
    expect(list.findAll('.record__title').map((t) => t.text())).toEqual(['学习《中国共产党章程》第一章'])
    expect(useStudyStore().records).toEqual(rows)
    expect(toasts).toEqual(['已保存'])
    list.unmount()
  })

  it('a write that fails takes the row out of the list again and says so in Chinese', async () => {
    const write = holdWrites()
    const { h, list, form } = await openListAndForm()
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)

    const submitting = form.submit()
    // The write is still held: whatever the list shows now, it shows without IndexedDB having the row.
    await flushPromises()
    expect(list.text()).toContain('学习《中国共产党章程》第一章')

    write.fail(new Error('simulated abort'))
    await submitting
    await settle()
    expect(list.text()).not.toContain('学习《中国共产党章程》第一章')
    expect(list.find('[data-testid="study-empty"]').exists()).toBe(true)
    expect(toasts).toHaveLength(1)
    expect(toasts[0]).toMatch(/保存失败/)
    expect(toasts[0]).not.toMatch(/已保存/)
    expect(await h.db.study_records.count()).toBe(0)
    expect(await h.db.outbox.count()).toBe(0)
    error.mockRestore()
    list.unmount()
  })

  it('input the schema refuses stays on the form with its reason: nothing shown, nothing written', async () => {
    const { h, list, form, done } = await openListAndForm()
    form.draft.title = ''
    await form.submit()
    await settle()
    expect(form.error).toBe('请填写学习内容')
    expect(done).not.toHaveBeenCalled()
    expect(list.find('[data-testid="study-empty"]').exists()).toBe(true)
    expect(await h.db.study_records.count()).toBe(0)
    list.unmount()
  })
})
