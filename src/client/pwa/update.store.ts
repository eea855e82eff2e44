import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Workbox } from 'workbox-window'

const HOUR = 60 * 60 * 1000
/** Without a service worker nothing is kept for offline use: every visit loads the current version. */
const ONLINE_ONLY = '此浏览器只能联网使用，每次打开都是最新版本'

/**
 * Service worker registration and the update prompt. A new version never takes over on its own:
 * the user taps 更新, so nothing being typed is lost; saved data lives in IndexedDB and survives.
 */
export const useUpdateStore = defineStore('update', () => {
  const available = ref(false)
  const statusText = ref('当前已是最新版本')
  let wb: Workbox | null = null

  async function register(): Promise<void> {
    if (import.meta.env.DEV) return
    if (!('serviceWorker' in navigator)) {
      statusText.value = ONLINE_ONLY
      return
    }
    const { Workbox } = await import('workbox-window')
    wb = new Workbox('/sw.js', { scope: '/' })
    wb.addEventListener('waiting', () => {
      available.value = true
      statusText.value = '新版本可用'
    })
    try {
      await wb.register()
    } catch (err) {
      // A browser that has the API but refuses it (a private window, an in-app browser): online only.
      console.warn('service worker not registered', err)
      statusText.value = ONLINE_ONLY
      wb = null
      return
    }
    setInterval(() => void check(), HOUR)
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void check()
    })
  }

  async function check(): Promise<void> {
    if (!wb) return
    statusText.value = '正在检查…'
    try {
      await wb.update()
      statusText.value = available.value ? '新版本可用' : '当前已是最新版本'
    } catch {
      statusText.value = '暂时无法检查更新（离线）'
    }
  }

  function apply(): void {
    if (!wb) return
    wb.addEventListener('controlling', () => window.location.reload())
    wb.messageSkipWaiting()
  }

  return { available, statusText, register, check, apply }
})
