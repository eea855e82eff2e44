import { gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/**
 * Fails the build when the home screen's first load (the entry chunk, its static imports and
 * their CSS, gzip) exceeds the budget. The browser-measured figure is in `npm run bench`.
 */
export function firstLoadBudget(opts: { budgetBytes: number }): Plugin {
  return {
    name: 'first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'index')
      if (!entry || entry.type !== 'chunk') return
      const seen = new Set<string>()
      const css = new Set<string>()
      const visit = (name: string): void => {
        if (seen.has(name)) return
        seen.add(name)
        const c = bundle[name]
        if (!c || c.type !== 'chunk') return
        c.viteMetadata?.importedCss.forEach((f) => css.add(f))
        c.imports.forEach(visit)
      }
      visit(entry.fileName)
      let total = 0
      const sizes: string[] = []
      for (const f of [...seen, ...css]) {
        const item = bundle[f]
        if (!item) continue
        const source = item.type === 'chunk' ? item.code : item.source
        const size = gzipSync(typeof source === 'string' ? Buffer.from(source) : Buffer.from(source)).length
        total += size
        sizes.push(`${f} ${(size / 1024).toFixed(1)} kB`)
      }
      if (process.env.BUDGET_VERBOSE) this.info(sizes.join('\n'))
      const kb = (total / 1024).toFixed(1)
      if (total > opts.budgetBytes) this.error(`first-load JS+CSS is ${kb} kB gzip, over the ${(opts.budgetBytes / 1024).toFixed(0)} kB budget`)
      this.info(`first-load JS+CSS: ${kb} kB gzip (budget ${opts.budgetBytes / 1024} kB)`)
    },
  }
}
