import { describe, expect, it, vi } from 'vitest'
import { createHook } from './hooks.ts'

describe('a hook', () => {
  it('calls every listener in turn, goes on past one that fails, and stops calling one that unsubscribed', async () => {
    const hook = createHook<number>('test')
    const seen: number[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    hook.on(() => {
      throw new Error('boom')
    })
    const off = hook.on(async (n) => {
      seen.push(n)
    })
    await hook.emit(1)
    off()
    await hook.emit(2)
    expect(seen).toEqual([1])
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()
  })
})
