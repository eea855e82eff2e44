import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { AccountDb } from '../db/account-db.ts'
import { newId } from '../../core/ids.ts'
import type { SyncOutcome } from './status.ts'
import { FAILURE_TEXT } from './status.ts'

/** What the (mocked) engine does at the next sync: answer an outcome, or throw. */
const next = vi.hoisted(() => ({ sync: (): Promise<SyncOutcome> => Promise.resolve({ ok: true }) }))

vi.mock('./engine.ts', () => ({
  SyncEngine: class {
    sync(): Promise<SyncOutcome> {
      return next.sync()
    }
  },
}))
// No timers or window events in these tests: the store's syncNow is called by hand.
vi.mock('./scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))

const { useSessionStore } = await import('../session/session.store.ts')
const { useSyncStore } = await import('./sync.store.ts')

async function signedIn() {
  const session = useSessionStore()
  const id = newId()
  session.db = new AccountDb(`unit-${id}`)
  session.user = {
    id,
    orgId: newId(),
    orgName: '机关党委',
    branchId: newId(),
    branchName: '第一党支部',
    name: '张三',
    phone: '13800000001',
    role: 'member',
  }
  const sync = useSyncStore()
  await nextTick()
  return sync
}

beforeEach(() => {
  setActivePinia(createPinia())
  next.sync = () => Promise.resolve({ ok: true })
})

describe('sync status the member sees', () => {
  it('an unexpected fault of the engine shows as an error with a Chinese reason, and in 同步详情 with its time', async () => {
    const sync = await signedIn()
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    next.sync = () => Promise.reject(Object.assign(new Error('Table followups does not exist'), { name: 'InvalidTableError' }))
    await sync.syncNow()
    expect(sync.state).toBe('error')
    expect(sync.stateText).toBe('同步未完成')
    expect(sync.failureText).toBe(FAILURE_TEXT.unexpected)
    expect(sync.failureText).toMatch(/[\u4e00-\u9fff]/)
    expect(sync.lastError).toMatchObject({
      failure: 'unexpected',
      text: FAILURE_TEXT.unexpected,
      detail: 'InvalidTableError: Table followups does not exist',
    })
    expect(Date.now() - Date.parse(sync.lastError?.at ?? '')).toBeLessThan(5000)
    expect(error).toHaveBeenCalled()
    error.mockRestore()

    // The next successful sync clears the error state; 同步详情 still says when the last one was.
    next.sync = () => Promise.resolve({ ok: true })
    await sync.syncNow()
    expect(sync.state).toBe('idle')
    expect(sync.failureText).toBeNull()
    expect(sync.lastError?.failure).toBe('unexpected')
  })

  it('every failure the engine reports has its own text and is kept as the last error', async () => {
    const sync = await signedIn()
    for (const failure of ['server', 'storage-full', 'unauthorized'] as const) {
      next.sync = () => Promise.resolve({ ok: false, failure })
      await sync.syncNow()
      expect(sync.state).toBe('error')
      expect(sync.failureText).toBe(FAILURE_TEXT[failure])
      expect(sync.lastError).toMatchObject({ failure, text: FAILURE_TEXT[failure], detail: null })
    }
    next.sync = () => Promise.resolve({ ok: false, failure: 'network' })
    await sync.syncNow()
    expect(sync.state).toBe('offline')
    expect(sync.failureText).toBe(FAILURE_TEXT.network)
  })
})
