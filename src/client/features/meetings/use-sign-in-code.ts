import { computed, onMounted, onUnmounted, ref, watch, type Ref } from 'vue'
import { renderSVG } from 'uqr'
import { useMeetingsStore } from './meetings.store.ts'
import { useClockStore } from './clock.store.ts'
import { useSyncStore } from '../../sync/sync.store.ts'
import { signInLink, signInPhase, signToken, WINDOW_MS, windowOf, type SignInPhase } from '../../../core/domain/sign-in-token.ts'

/**
 * The sign-in code of meeting `id` on the organiser's phone: a code that changes every few seconds, signed with the meeting's
 * key, and the roll as sign-ins arrive. Works with no network: members' phones keep their scans.
 * Only while the sign-in is open (an hour before the start to an hour after the end): before and
 * after, the page says when it opens or closed instead of showing a code every scan would refuse.
 * Codes follow the server's clock when this phone has measured it (online, here or earlier), and a
 * phone clock that is off is pointed out. The one showing the code is recorded present (by his own
 * hand) once the sign-in is open, unless he already has attendance.
 */
export function useSignInCode(id: Ref<string>) {
  const meetings = useMeetingsStore()
  const clock = useClockStore()
  const sync = useSyncStore()
  const meeting = computed(() => meetings.byId.get(id.value) ?? null)
  const link = ref('')
  const image = ref('')
  const left = ref(0)
  /** The time by the server's clock (as far as this phone knows it), moved on twice a second. */
  const nowMs = ref(clock.now())
  const phase = computed<SignInPhase | null>(() => (meeting.value ? signInPhase(meeting.value, nowMs.value) : null))
  let shownWindow = -1
  let timer: ReturnType<typeof setInterval> | null = null
  let wake: { release(): Promise<void> } | null = null

  /** Expected people signed in (as 实到 / 应到 everywhere else), and others who came (列席). */
  const signedIn = computed(() => meetings.attendanceOf(id.value).filter((a) => a.status === 'present'))
  const present = computed(() => signedIn.value.filter((a) => meeting.value?.expectedIds.includes(a.memberId) ?? false).length)
  const guests = computed(() => signedIn.value.length - present.value)
  const mine = computed(() => meetings.myRow(id.value))

  /** The shower's own attendance, tried once per meeting while the sign-in is open. */
  let selfTried = ''
  watch(
    [meeting, phase],
    async ([m, p]) => {
      if (!m?.signKey || p !== 'open' || selfTried === m.id) return
      selfTried = m.id
      await meetings.markShowerPresent(m).catch(() => false)
    },
    { immediate: true },
  )

  async function refresh(): Promise<void> {
    const m = meeting.value
    const now = (nowMs.value = clock.now())
    if (!m?.signKey) return
    if (phase.value !== 'open') {
      shownWindow = -1
      link.value = ''
      image.value = ''
      return
    }
    left.value = Math.ceil(((windowOf(now) + 1) * WINDOW_MS - now) / 1000)
    const w = windowOf(now)
    if (w === shownWindow) return
    shownWindow = w
    link.value = signInLink(window.location.origin, m.id, w, await signToken(m.signKey, m.id, w))
    image.value = `data:image/svg+xml;base64,${btoa(renderSVG(link.value, { border: 2 }))}`
  }

  // The meeting arrives from IndexedDB (or is edited, its time changed): show what fits now.
  watch(meeting, () => {
    shownWindow = -1
    void refresh()
  })

  // Members' scans reach this phone within seconds while the code is shown (not only at the minute's sync).
  let release: (() => void) | null = sync.followClosely()

  onMounted(async () => {
    await refresh()
    // Online: compare this phone's clock with the server's before members scan (a few hundred ms).
    await clock.check()
    shownWindow = -1
    await refresh()
    timer = setInterval(() => void refresh(), 500)
    // Keep the screen on while the code is shown (where the browser allows it).
    const lock = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } }).wakeLock
    wake = (await lock?.request('screen').catch(() => null)) ?? null
  })
  onUnmounted(() => {
    release?.()
    release = null
    if (timer) clearInterval(timer)
    void wake?.release()
  })
  return { meeting, clock, link, image, left, phase, present, guests, mine }
}
