import { describe, expect, it } from 'vitest'
import { paintSnapshot, readSnapshot } from './snapshot-format.ts'

const shell =
  '<!doctype html><html><head><link rel="stylesheet" href="/assets/index.css"></head><body><div id="app"></div><script type="module" src="/assets/index.js"></script></body></html>'

describe('the home snapshot painted by the service worker', () => {
  it('puts the saved DOM into #app, inert and busy, and its stylesheets into <head>', () => {
    const html = paintSnapshot(shell, {
      html: '<main class="page"><h1 class="hero__name">张三，您好</h1></main>',
      styles: ['/assets/HomePage.css'],
      day: '2026-11-30',
    })
    expect(html).toContain('<link rel="stylesheet" href="/assets/HomePage.css"></head>')
    expect(html).toContain(
      '<div id="app"><div data-snapshot inert aria-busy="true"><main class="page"><h1 class="hero__name">张三，您好</h1></main></div></div>',
    )
    expect(html).toContain('<script type="module" src="/assets/index.js"></script>')
  })

  it('leaves a shell it does not recognise unchanged', () => {
    const other = shell.replace('<div id="app"></div>', '<div id="app" class="x"></div>')
    expect(paintSnapshot(other, { html: '<p>x</p>', styles: [], day: '2026-11-30' })).toBe(other)
  })

  it('escapes stylesheet paths', () => {
    const html = paintSnapshot(shell, { html: '', styles: ['/a"><script>alert(1)</script>.css'], day: '2026-11-30' })
    expect(html).not.toContain('<script>alert(1)')
  })

  it('reads only well-formed snapshots with same-origin stylesheet paths', () => {
    expect(readSnapshot({ html: '<p></p>', styles: ['/assets/a.css'], day: '2026-11-30' })).not.toBeNull()
    expect(readSnapshot({ html: '<p></p>', styles: ['https://example.invalid/a.css'], day: '2026-11-30' })).toBeNull()
    expect(readSnapshot({ html: '<p></p>', styles: ['//example.invalid/a.css'], day: '2026-11-30' })).toBeNull()
    expect(readSnapshot({ html: 1, styles: [], day: '2026-11-30' })).toBeNull()
    expect(readSnapshot(null)).toBeNull()
  })
})
