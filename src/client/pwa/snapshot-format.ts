/**
 * The home screen as it last looked, painted by the service worker into the page before any
 * script runs (an offline cold start on a slow phone shows the member's home at once), then
 * replaced by the live app. Shared by the page (snapshot.ts, which saves it) and the service
 * worker (sw.ts, which paints it). Kept in the Cache Storage of this origin, like the app itself,
 * and deleted on sign-out.
 */
export const SNAPSHOT_CACHE = 'suixing-home-snapshot'
export const SNAPSHOT_KEY = '/__home-snapshot.json'

export interface HomeSnapshot {
  /** The app's rendered DOM (no script, no style attribute: the page's CSP allows neither inline). */
  html: string
  /** The stylesheets the page had loaded (same-origin paths of the build). */
  styles: string[]
  /** The China date it was taken (YYYY-MM-DD): a snapshot of another day is not painted. */
  day: string
}

/** Marks the painted snapshot inside #app; the live app replaces it. */
export const SNAPSHOT_ATTRIBUTE = 'data-snapshot'

const escapeAttribute = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * The shell's HTML with the snapshot in it: its stylesheets at the end of <head>, its DOM inside
 * `<div id="app">`, inert (taps do nothing until the app is live) and marked busy for screen
 * readers. The shell unchanged when it has no empty app element.
 */
export function paintSnapshot(shell: string, snapshot: HomeSnapshot): string {
  const host = '<div id="app"></div>'
  if (!shell.includes(host) || !shell.includes('</head>')) return shell
  const links = snapshot.styles.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}">`).join('')
  return shell
    .replace('</head>', `${links}</head>`)
    .replace(host, `<div id="app"><div ${SNAPSHOT_ATTRIBUTE} inert aria-busy="true">${snapshot.html}</div></div>`)
}

/** A stored snapshot's JSON, checked; null if it is not one. */
export function readSnapshot(value: unknown): HomeSnapshot | null {
  if (typeof value !== 'object' || value === null) return null
  const { html, styles, day } = value as Record<string, unknown>
  if (typeof html !== 'string' || typeof day !== 'string' || !Array.isArray(styles)) return null
  if (!styles.every((s): s is string => typeof s === 'string' && s.startsWith('/') && !s.startsWith('//'))) return null
  return { html, styles, day }
}
