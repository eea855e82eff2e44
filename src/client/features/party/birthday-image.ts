import { OATH } from '../../../core/domain/political-birthday.ts'

/**
 * The political birthday greeting as a PNG a member can save or share (e.g. to the branch's
 * group chat). Drawn on a canvas: no DOM screenshot, so nothing off-screen or styled by the
 * page leaks into it, and it works offline.
 */
export interface BirthdayImageInput {
  name: string
  nth: number
  /** "2026年11月28日" */
  dateText: string
  orgName: string
}

const W = 1080
const H = 1440
const RED = '#b5121b'
const GOLD = '#f6d48b'
const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'

/** Break Chinese text into lines no wider than `max` (character by character; CJK has no spaces). */
export function wrapText(measure: (s: string) => number, text: string, max: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const ch of text) {
    if (line && measure(line + ch) > max) {
      // Keep closing punctuation off the start of a line.
      if ('，。、；：！？）'.includes(ch)) {
        lines.push(line.slice(0, -1))
        line = line.slice(-1) + ch
        continue
      }
      lines.push(line)
      line = ch
    } else line += ch
  }
  if (line) lines.push(line)
  return lines
}

export async function birthdayImage(input: BirthdayImageInput): Promise<Blob> {
  const canvas = document.createElement('canvas')
  canvas.width = W
  canvas.height = H
  const g = canvas.getContext('2d')
  if (!g) throw new Error('无法生成图片')
  const grad = g.createLinearGradient(0, 0, 0, H)
  grad.addColorStop(0, '#c8161d')
  grad.addColorStop(1, RED)
  g.fillStyle = grad
  g.fillRect(0, 0, W, H)
  g.strokeStyle = GOLD
  g.lineWidth = 6
  g.strokeRect(40, 40, W - 80, H - 80)

  g.textAlign = 'center'
  g.fillStyle = GOLD
  g.font = `bold 60px ${FONT}`
  g.fillText('政治生日快乐', W / 2, 200)
  g.fillStyle = '#fff'
  g.font = `bold 84px ${FONT}`
  g.fillText(`第${input.nth}个政治生日`, W / 2, 330)
  g.font = `48px ${FONT}`
  g.fillText(`${input.name}同志`, W / 2, 420)

  g.textAlign = 'left'
  g.fillStyle = GOLD
  g.font = `bold 44px ${FONT}`
  g.fillText('入党誓词', 120, 540)
  g.fillStyle = '#fff'
  g.font = `40px ${FONT}`
  const lines = wrapText((s) => g.measureText(s).width, OATH, W - 240)
  lines.forEach((l, i) => g.fillText(l, 120, 620 + i * 64))

  g.textAlign = 'center'
  g.fillStyle = GOLD
  g.font = `40px ${FONT}`
  g.fillText('不忘入党初心 · 牢记党员身份', W / 2, H - 230)
  g.font = `34px ${FONT}`
  g.fillStyle = '#fff'
  g.fillText(`${input.orgName}  ${input.dateText}`, W / 2, H - 150)

  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('无法生成图片'))), 'image/png'))
}

/** Share the image where the phone can (system share sheet), otherwise download it. */
export async function shareOrSave(blob: Blob, fileName: string): Promise<'shared' | 'saved'> {
  const file = new File([blob], fileName, { type: 'image/png' })
  if (navigator.canShare?.({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: '政治生日' })
      return 'shared'
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return 'shared'
    }
  }
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return 'saved'
}
