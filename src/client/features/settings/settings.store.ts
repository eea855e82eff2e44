import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

export const TEXT_SIZES = { standard: '标准', large: '大', xlarge: '特大' } as const
export type TextSize = keyof typeof TEXT_SIZES

const KEY = 'suixing.textSize'
const ELDER_KEY = 'suixing.elder'

const read = (key: string): string | null => (typeof localStorage === 'undefined' ? null : localStorage.getItem(key))

function saved(): TextSize {
  const v = read(KEY)
  return v === 'large' || v === 'xlarge' ? v : 'standard'
}

/**
 * Device preferences (not synced): text size for older eyes, and the 长辈版 (适老化 mode: larger
 * text and controls, a 首页 with the four things an older member does; theme.css [data-elder]).
 */
export const useSettingsStore = defineStore('settings', () => {
  const textSize = ref<TextSize>(saved())
  const elder = ref(read(ELDER_KEY) === '1')
  const apply = (size: TextSize) => {
    if (typeof document === 'undefined') return
    document.documentElement.dataset.textSize = size
  }
  watch(
    textSize,
    (size) => {
      localStorage.setItem(KEY, size)
      apply(size)
    },
    { immediate: true },
  )
  watch(
    elder,
    (on) => {
      if (typeof document === 'undefined') return
      localStorage.setItem(ELDER_KEY, on ? '1' : '0')
      if (on) void import('./elder.css').then(() => (document.documentElement.dataset.elder = ''))
      else delete document.documentElement.dataset.elder
    },
    { immediate: true },
  )
  return { textSize, elder }
})
