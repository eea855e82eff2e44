/**
 * Text follows the phone's own text size (适老化: "following the system font scale"). A browser
 * resolves `font-size: medium` to the user's default size — the browser's setting on a computer,
 * and with `<meta name="text-scale" content="scale">` (index.html) the system's text scale on a
 * phone — so its ratio to 16 px is the scale the member chose. theme.css and elder.css multiply
 * every font size by it (`--sx-os`). Never below 1 (the app's own sizes are its minimum) and at
 * most MAX_SCALE, beyond which pages no longer fit a phone's width (the browser's zoom remains).
 */
export const MAX_SCALE = 1.6

export function systemTextScale(doc: Document = document): number {
  const probe = doc.createElement('span')
  probe.style.fontSize = 'medium'
  probe.style.position = 'absolute'
  probe.style.visibility = 'hidden'
  doc.body.append(probe)
  const px = Number.parseFloat(getComputedStyle(probe).fontSize)
  probe.remove()
  return Number.isFinite(px) && px > 0 ? Math.min(Math.max(px / 16, 1), MAX_SCALE) : 1
}

/** Applies the scale now and again whenever the app comes back (the setting may have changed meanwhile). */
export function followSystemTextScale(doc: Document = document): void {
  const apply = () => {
    const scale = systemTextScale(doc)
    if (scale === 1) doc.documentElement.style.removeProperty('--sx-os')
    else doc.documentElement.style.setProperty('--sx-os', scale.toFixed(3))
  }
  apply()
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') apply()
  })
}
