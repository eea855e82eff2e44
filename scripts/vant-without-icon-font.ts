import type { Plugin } from 'vite'

const EMPTY = '\0vant-icon-font-removed.css'

/**
 * What replaces Vant's icon stylesheet: layout, and the few glyphs Vant draws itself with its font
 * as plain characters, so that a close (×), clear or arrow icon is still seen. Every control that
 * closes or clears something (a popup's or a notice's ×, a tag's ×, a field's clear button) is
 * at least 44 px square to tap (older members, 适老化).
 */
export const VANT_ICON_CSS = [
  '.van-icon{position:relative;display:inline-block;font-size:inherit;line-height:1}',
  ".van-icon-cross::before,.van-icon-close::before,.van-icon-clear::before,.van-icon-fail::before{content:'\\00d7';font-size:1.4em;line-height:0.7}",
  ".van-icon-success::before{content:'\\2713'}",
  ".van-icon-arrow::before{content:'\\203a';font-size:1.4em;line-height:0.7}",
  ".van-icon-arrow-left::before{content:'\\2039';font-size:1.4em;line-height:0.7}",
  ".van-icon-arrow-down::before{content:'\\203a';display:inline-block;transform:rotate(90deg)}",
  ".van-icon-arrow-up::before{content:'\\203a';display:inline-block;transform:rotate(-90deg)}",
  '.van-popup__close-icon,.van-notice-bar__right-icon,.van-tag__close,.van-field__clear,.van-share-sheet__close,.van-image-preview__close-icon,.van-action-sheet__close' +
    '{display:inline-flex;align-items:center;justify-content:center;min-width:44px;min-height:44px;font-size:24px;color:#4a4d52}',
].join('\n')

/**
 * Vant's icon stylesheet inlines a 28 kB (gzip) icon font and names a third-party font host as
 * its fallback. We draw our few icons as inline SVG (src/client/components/AppIcon.vue), so the
 * stylesheet is replaced by a few lines of layout and glyphs: smaller first load, no foreign origin.
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
      if (id === EMPTY) return `${VANT_ICON_CSS}\n`
      return null
    },
  }
}
