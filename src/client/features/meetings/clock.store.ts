import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../../api/client.ts'

const KEY = 'suixing.clockOffset'
/** An answer slower than this says too little about the server's clock to correct ours. */
const MAX_ROUND_TRIP_MS = 4000
/** From this far off, the organiser is told to set the phone's time (codes are corrected either way). */
export const CLOCK_WARN_MS = 15_000

function saved(): number {
  const v = typeof localStorage === 'undefined' ? null : Number(localStorage.getItem(KEY))
  return v !== null && Number.isFinite(v) ? v : 0
}

/**
 * This phone's clock against the server's. Sign-in codes are made for the current 10-second window
 * and checked against the server's clock, so a phone two minutes fast shows codes every scan
 * refuses: the code page and the scanner use the server's time when they have measured it (kept
 * on the phone, so it still applies offline in the meeting room).
 */
export const useClockStore = defineStore('clock', () => {
  /** Server time minus this phone's time, in ms (0 until measured). */
  const offsetMs = ref(saved())
  const checked = ref(false)

  async function check(): Promise<void> {
    try {
      const sent = Date.now()
      const { now } = await api.time()
      const received = Date.now()
      if (typeof now !== 'number' || received - sent > MAX_ROUND_TRIP_MS) return
      offsetMs.value = Math.round(now - (sent + received) / 2)
      checked.value = true
      localStorage.setItem(KEY, String(offsetMs.value))
    } catch {
      // offline: the last measured difference (or none) stands
    }
  }

  /** The time by the server's clock, as well as this phone knows it. */
  const now = (): number => Date.now() + offsetMs.value
  /** The phone's clock is off by more than a few seconds: how far, for the organiser to read. */
  const skew = computed(() => (Math.abs(offsetMs.value) >= CLOCK_WARN_MS ? offsetMs.value : 0))

  return { offsetMs, checked, check, now, skew }
})

/** "快 2 分钟" / "慢 40 秒": how far this phone's clock is from the server's. */
export function skewText(offsetMs: number): string {
  const s = Math.round(Math.abs(offsetMs) / 1000)
  const amount = s >= 90 ? `${Math.round(s / 60)} 分钟` : `${s} 秒`
  return `${offsetMs < 0 ? '快' : '慢'} ${amount}`
}
