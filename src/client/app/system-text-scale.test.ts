// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { followSystemTextScale, MAX_SCALE, systemTextScale } from './system-text-scale.ts'

const withDefault = (px: string) =>
  vi.spyOn(window, 'getComputedStyle').mockImplementation(() => ({ fontSize: px }) as unknown as CSSStyleDeclaration)

afterEach(() => {
  vi.restoreAllMocks()
  document.documentElement.style.removeProperty('--sx-os')
})

describe('the system text scale', () => {
  it("is the member's default text size over 16 px, never below 1, at most MAX_SCALE, and leaves no probe behind", () => {
    withDefault('24px')
    expect(systemTextScale()).toBe(1.5)
    withDefault('12px')
    expect(systemTextScale()).toBe(1)
    withDefault('64px')
    expect(systemTextScale()).toBe(MAX_SCALE)
    withDefault('')
    expect(systemTextScale()).toBe(1)
    expect(document.body.children).toHaveLength(0)
  })

  it('sets --sx-os on the root, removes it at 1, and reads it again when the app comes back', () => {
    withDefault('20px')
    followSystemTextScale()
    expect(document.documentElement.style.getPropertyValue('--sx-os')).toBe('1.250')
    withDefault('16px')
    document.dispatchEvent(new Event('visibilitychange'))
    expect(document.documentElement.style.getPropertyValue('--sx-os')).toBe('')
  })
})
