import { describe, expect, it, vi } from 'vitest'
import { loadOnce } from './load-once.ts'

describe('loadOnce', () => {
  it('imports once, then hands the module out within the same task (no import() per call)', async () => {
    const load = vi.fn(() => Promise.resolve({ write: 1 }))
    const get = loadOnce(load)
    expect(await get()).toEqual({ write: 1 })
    let handed = false
    void get().then(() => (handed = true))
    await Promise.resolve()
    await Promise.resolve()
    expect(handed).toBe(true)
    expect(load).toHaveBeenCalledOnce()
  })

  it('two calls while the first load is under way share it; a failed load is tried again', async () => {
    const load = vi.fn<() => Promise<{ n: number }>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValue({ n: 2 })
    const get = loadOnce(load)
    const [a, b] = await Promise.allSettled([get(), get()])
    expect(a.status).toBe('rejected')
    expect(b.status).toBe('rejected')
    expect(load).toHaveBeenCalledOnce()
    expect(await get()).toEqual({ n: 2 })
    expect(load).toHaveBeenCalledTimes(2)
  })
})
