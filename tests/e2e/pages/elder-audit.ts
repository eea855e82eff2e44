import type { Page } from '@playwright/test'

/**
 * The 长辈版's numbers (工信部《移动互联网应用（APP）适老化通用设计规范》), measured on the page as
 * drawn: every visible text ≥ 18 px with line height ≥ 1.3; contrast ≥ 4.5:1 (3:1 for large text);
 * every control ≥ 44 × 44 px and the main ones (buttons, tiles, the tab bar) ≥ 60 × 60. Returns
 * what fails, one line each (empty: the page passes).
 */
export async function elderProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    const name = (el: Element): string => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 24)
      return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ` class="${el.className.slice(0, 40)}"` : ''}> ${text}`
    }
    const visible = (el: Element): boolean => {
      const r = el.getBoundingClientRect()
      const cs = getComputedStyle(el)
      return (
        r.width > 1 &&
        r.height > 1 &&
        cs.visibility !== 'hidden' &&
        cs.opacity !== '0' &&
        el.closest('[aria-hidden="true"], .visually-hidden') === null
      )
    }
    type Rgba = [number, number, number, number]
    const parse = (c: string): Rgba => {
      const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 1]
      return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1]
    }
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3]
      return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1]
    }
    /** The colours behind an element: one, or each stop of the nearest gradient (all are checked). */
    const backgrounds = (el: Element | null): Rgba[] => {
      const layers: Rgba[] = []
      for (let e = el; e; e = e.parentElement) {
        const cs = getComputedStyle(e)
        const stops = cs.backgroundImage.includes('gradient') ? (cs.backgroundImage.match(/rgba?\([^)]*\)/g) ?? []) : []
        // The gradient is under what was found so far: each of its colours, with those layers on top.
        if (stops.length)
          return stops.map((c) => layers.reduceRight<Rgba>((under, top) => over(top, under), over(parse(c), [255, 255, 255, 1])))
        const bg = parse(cs.backgroundColor)
        if (bg[3] > 0) layers.push(bg)
        if (bg[3] >= 1) break
      }
      return [layers.reduceRight<Rgba>((under, top) => over(top, under), [255, 255, 255, 1])]
    }
    const luminance = ([r, g, b]: Rgba): number => {
      const f = (v: number) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      }
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    }
    const ratio = (a: Rgba, b: Rgba): number => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number]
      return (x + 0.05) / (y + 0.05)
    }

    for (const el of document.querySelectorAll('#app *')) {
      if (!visible(el)) continue
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
      if (!ownText) continue
      const cs = getComputedStyle(el)
      const size = parseFloat(cs.fontSize)
      if (size < 18) problems.push(`text ${size}px < 18: ${name(el)}`)
      const line = cs.lineHeight === 'normal' ? size * 1.2 : parseFloat(cs.lineHeight)
      if (line < size * 1.3 - 0.5 && el.getBoundingClientRect().height > line * 1.5)
        problems.push(`line height ${line.toFixed(1)}px < 1.3 × ${size}px: ${name(el)}`)
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700)
      const need = large ? 3 : 4.5
      const r = Math.min(...backgrounds(el).map((bg) => ratio(over(parse(cs.color), bg), bg)))
      if (r < need) problems.push(`contrast ${r.toFixed(2)} < ${need}: ${name(el)}`)
    }

    const controls =
      '#app a[href], #app button, #app select, #app textarea, #app [role="button"], #app [role="radio"], #app [role="switch"], #app [role="checkbox"], #app .van-field'
    const main = '.van-button--normal, .van-button--large, .button-link, .elder-tile, .tabbar__item, .elder-switch__button'
    for (const el of document.querySelectorAll(controls)) {
      if (!visible(el)) continue
      // A link inside a sentence is exempt (WCAG 2.5.8); so is a control inside a larger one.
      if (el.tagName === 'A' && el.closest('p, li') && !el.matches(main)) continue
      if (el.parentElement?.closest('button, a[href], [role="button"], [role="radio"], [role="switch"], [role="checkbox"]')) continue
      const r = el.getBoundingClientRect()
      const min = el.matches(main) ? 60 : 44
      if (r.height < min - 0.5 || r.width < min - 0.5)
        problems.push(`target ${Math.round(r.width)}×${Math.round(r.height)} < ${min}: ${name(el)}`)
    }
    return problems
  })
}
