/**
 * Pages a visit can start on over the network (a first visit, or a scanned sign-in link in a
 * browser without the app): their own chunks and styles are announced in the HTML, so the browser
 * fetches them with the entry instead of one round trip later, once the router has run. On a
 * 400 ms line that is most of a second. Every other first screen (the signed-in home) keeps its
 * HTML as built; the service worker serves the plain shell offline.
 */

/** The build's manifest (Vite's `build.manifest`), the parts used here. */
export interface BuildManifest {
  [key: string]: { file: string; imports?: string[]; css?: string[]; isEntry?: boolean }
}

/** Path prefix → the page components it opens (a sign-in link may go on to the login page). */
export const FIRST_SCREENS: readonly (readonly [string, readonly string[]])[] = [
  ['/login', ['src/client/features/auth/LoginPage.vue']],
  ['/activate', ['src/client/features/auth/ActivatePage.vue']],
  ['/setup', ['src/client/features/auth/SetupPage.vue']],
  ['/s/', ['src/client/features/meetings/SignInLinkPage.vue', 'src/client/features/auth/LoginPage.vue']],
]

/** Every chunk key a manifest entry imports, itself included, depth first. */
function closure(manifest: BuildManifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key) || !manifest[key]) return seen
  seen.add(key)
  for (const k of manifest[key].imports ?? []) closure(manifest, k, seen)
  return seen
}

/** The `<link>` tags that announce these pages' chunks and styles, minus what the entry loads anyway. */
export function preloadTags(manifest: BuildManifest, pages: readonly string[]): string {
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry)
  const loaded = entry ? closure(manifest, entry) : new Set<string>()
  const scripts = new Set<string>()
  const styles = new Set<string>()
  for (const page of pages)
    for (const key of closure(manifest, page)) {
      if (loaded.has(key)) continue
      const chunk = manifest[key]
      if (!chunk) continue
      if (chunk.file.endsWith('.js')) scripts.add(chunk.file)
      for (const css of chunk.css ?? []) styles.add(css)
    }
  return [
    ...[...scripts].map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
    ...[...styles].map((f) => `<link rel="stylesheet" crossorigin href="/${f}">`),
  ].join('')
}

/** The shell for each first screen, its preloads at the end of <head>. */
export function firstScreenShells(indexHtml: string, manifest: BuildManifest): (path: string) => string | null {
  const shells = FIRST_SCREENS.map(([prefix, pages]) => {
    const tags = preloadTags(manifest, pages)
    return [prefix, tags && indexHtml.includes('</head>') ? indexHtml.replace('</head>', `${tags}</head>`) : null] as const
  })
  return (path) => shells.find(([prefix]) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix))?.[1] ?? null
}
