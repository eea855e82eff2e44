import { gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** One screen's budget: the entry plus the route's page chunk, with everything they import statically. */
export interface ScreenBudget {
  /** What the build log says: 'home', 'login'. */
  name: string
  /** The page component the route loads, relative to the project root (e.g. src/client/features/home/HomePage.vue). */
  page: string
  budgetBytes: number
}

interface Item {
  type: 'chunk' | 'asset'
  fileName: string
  imports?: string[]
  importedCss?: Iterable<string>
  moduleIds?: readonly string[]
  isEntry?: boolean
  name?: string
  bytes: Buffer
}

/** The files a screen loads before it is drawn: the chunks reached by static imports from `roots`, and their CSS. */
export function firstLoadFiles(items: Map<string, Item>, roots: string[]): string[] {
  const seen = new Set<string>()
  const css = new Set<string>()
  const visit = (name: string): void => {
    if (seen.has(name)) return
    const c = items.get(name)
    if (!c || c.type !== 'chunk') return
    seen.add(name)
    for (const f of c.importedCss ?? []) css.add(f)
    c.imports?.forEach(visit)
  }
  roots.forEach(visit)
  return [...seen, ...css]
}

export const gzipBytes = (b: Buffer): number => gzipSync(b).length

/**
 * Fails the build when a screen's first load (the entry chunk and the route's page chunk, their
 * static imports and their CSS, gzip) exceeds its budget: the signed-in home and the login page.
 * The browser-measured figure is in `npm run bench`.
 */
export function firstLoadBudget(opts: { screens: ScreenBudget[] }): Plugin {
  return {
    name: 'first-load-budget',
    apply: 'build',
    // After every other plugin's generateBundle (Vite fills in the preload lists there): the files as written.
    writeBundle(_options, bundle) {
      const items = new Map<string, Item>()
      for (const [fileName, c] of Object.entries(bundle)) {
        if (c.type === 'chunk')
          items.set(fileName, {
            type: 'chunk',
            fileName,
            imports: c.imports,
            importedCss: c.viteMetadata?.importedCss,
            moduleIds: c.moduleIds,
            isEntry: c.isEntry,
            name: c.name,
            bytes: Buffer.from(c.code),
          })
        else
          items.set(fileName, {
            type: 'asset',
            fileName,
            bytes: typeof c.source === 'string' ? Buffer.from(c.source) : Buffer.from(c.source),
          })
      }
      const entry = [...items.values()].find((c) => c.type === 'chunk' && c.isEntry && c.name === 'index')
      // The service worker's own build has no app entry: nothing to check there.
      if (!entry) return
      for (const screen of opts.screens) {
        // The chunk holding the page: its own when the route is lazy, the entry when it is imported statically.
        const page = [...items.values()].find(
          (c) => c.type === 'chunk' && c.moduleIds?.some((m) => m.replaceAll('\\', '/').endsWith(screen.page)),
        )
        if (!page) this.error(`first-load budget: no chunk holds ${screen.page} (the ${screen.name} screen)`)
        const files = firstLoadFiles(items, [entry.fileName, page.fileName])
        let total = 0
        const sizes: string[] = []
        for (const f of files) {
          const size = gzipBytes(items.get(f)?.bytes ?? Buffer.alloc(0))
          total += size
          sizes.push(`  ${f} ${(size / 1024).toFixed(1)} kB`)
        }
        if (process.env.BUDGET_VERBOSE) this.info(`${screen.name}:\n${sizes.join('\n')}`)
        const kb = (total / 1024).toFixed(1)
        const budget = (screen.budgetBytes / 1024).toFixed(0)
        if (total > screen.budgetBytes)
          this.error(`first-load JS+CSS of the ${screen.name} screen is ${kb} kB gzip, over its ${budget} kB budget`)
        this.info(`first-load JS+CSS of the ${screen.name} screen: ${kb} kB gzip (budget ${budget} kB)`)
      }
    },
  }
}
