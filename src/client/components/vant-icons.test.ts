import { describe, expect, it } from 'vitest'
import { VANT_ICON_CSS } from '../../../scripts/vant-without-icon-font.ts'

/** The rules of one selector in the stylesheet that replaces Vant's icon font. */
function rulesFor(selector: string): string {
  return [...VANT_ICON_CSS.matchAll(/([^{}]+)\{([^}]*)\}/g)]
    .filter((m) =>
      (m[1] ?? '')
        .split(',')
        .map((s) => s.trim())
        .includes(selector),
    )
    .map((m) => m[2])
    .join(';')
}

describe('Vant without its icon font', () => {
  it('a close or clear icon is still drawn (×), not a box of zero size', () => {
    for (const icon of ['.van-icon-cross::before', '.van-icon-clear::before', '.van-icon-close::before'])
      expect(rulesFor(icon)).toMatch(/content:'\\00d7'/)
  })

  it('every control that closes or clears something is at least 44 px square', () => {
    for (const control of [
      '.van-popup__close-icon',
      '.van-notice-bar__right-icon',
      '.van-tag__close',
      '.van-field__clear',
      '.van-action-sheet__close',
    ]) {
      const rules = rulesFor(control)
      expect(Number(/min-width:(\d+)px/.exec(rules)?.[1])).toBeGreaterThanOrEqual(44)
      expect(Number(/min-height:(\d+)px/.exec(rules)?.[1])).toBeGreaterThanOrEqual(44)
    }
  })
})
