import type { Plugin } from 'vite'

const EMPTY = '\0vant-icon-font-removed.css'

/**
 * Vant's icon stylesheet inlines a 28 kB (gzip) icon font and names a third-party font host as
 * its fallback. We draw our few icons as inline SVG (src/client/components/AppIcon.vue), so the
 * stylesheet is replaced by a few lines of layout: smaller first load, no foreign origin.
 */
export function vantWithoutIconFont(): Plugin {
  return {
    name: 'vant-without-icon-font',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer?.includes('/vant/') && /(^|\/)icon\/index\.css$/.test(source)) return EMPTY
      return null
    },
    load(id) {
      if (id === EMPTY) return '.van-icon{position:relative;display:inline-block;font-size:inherit;line-height:1}\n'
      return null
    },
  }
}
