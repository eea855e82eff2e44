import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

export const TEXT_SIZES = { standard: '标准', large: '大', xlarge: '特大' } as const
export type TextSize = keyof typeof TEXT_SIZES

const KEY = 'suixing.textSize'

function saved(): TextSize {
  const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY)
  return v === 'large' || v === 'xlarge' ? v : 'standard'
}

/** Device preferences (not synced): text size for older eyes. */
export const useSettingsStore = defineStore('settings', () => {
  const textSize = ref<TextSize>(saved())
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
  return { textSize }
})
