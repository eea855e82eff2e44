import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { api } from '../api/client.ts'
import type { AccountDb, RejectedEntry } from '../db/account-db.ts'
import { useLiveQuery } from '../db/live.ts'
import type { SyncEngine } from './engine.ts'
import type { Scheduler } from './scheduler.ts'
import { FAILURE_TEXT, STATE_TEXT, type SyncFailure, type SyncState } from './status.ts'
import { useSessionStore } from '../session/session.store.ts'
import { emitSynced } from './synced.ts'

/** The last failed sync: what 同步详情 shows, with its time, until the next failure. */
export interface SyncError {
  failure: SyncFailure
  /** What the member reads (FAILURE_TEXT). */
  text: string
  /** For an unexpected fault: the error itself, for whoever helps the member. */
  detail: string | null
  at: string
}

const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 300)

/** What the user always sees: online or not, unsynced count, last success, refused changes, the last failure. */
export const useSyncStore = defineStore('sync', () => {
  const session = useSessionStore()
  const running = ref(false)
  const failure = ref<SyncFailure | null>(null)
  const lastError = ref<SyncError | null>(null)
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine)
  let engine: SyncEngine | null = null
  let scheduler: Scheduler | null = null
  /** The engine and its scheduler load just after the first screen (they are not needed to draw it). */
  let starting: Promise<void> | null = null
  /** Bumped at each stop: an engine still loading for the previous account is not started. */
  let generation = 0
  /** Pages open that want members' scans within seconds (the sign-in code, the roll). */
  const followers = ref(0)

  const db = (): AccountDb | null => session.db
  const pending = useLiveQuery(() => db()?.outbox.count() ?? 0, 0, [() => session.db])
  const rejected = useLiveQuery<RejectedEntry[]>(() => db()?.rejected.orderBy('at').reverse().toArray() ?? [], [], [() => session.db])
  const lastSyncAt = useLiveQuery(
    async () => {
      const v = (await db()?.meta.get('lastSyncAt'))?.value
      return typeof v === 'string' ? v : null
    },
    null,
    [() => session.db],
  )

  function fail(f: SyncFailure, err?: unknown): void {
    failure.value = f
    lastError.value = { failure: f, text: FAILURE_TEXT[f], detail: err === undefined ? null : describe(err), at: new Date().toISOString() }
  }

  async function runOnce(): Promise<void> {
    await starting
    if (!engine) return
    running.value = true
    try {
      const outcome = await engine.sync()
      if (outcome.ok) failure.value = null
      else fail(outcome.failure)
      // Signed out from another device (a lost phone): this account's data leaves this phone.
      if (!outcome.ok && outcome.failure === 'signed-out') await session.wipeSignedOut()
      // What goes up after the records it belongs to (photos) subscribes to onSynced.
      const current = db()
      if (outcome.ok && current) await emitSynced({ db: current })
    } catch (err) {
      // Anything the engine did not expect (a storage fault, a bug) is shown, never only logged.
      console.error('sync failed', err)
      fail('unexpected', err)
    } finally {
      running.value = false
    }
  }

  const state = computed<SyncState>(() => {
    if (running.value) return 'syncing'
    if (!online.value || failure.value === 'network') return 'offline'
    if (failure.value) return 'error'
    return 'idle'
  })
  const stateText = computed(() => STATE_TEXT[state.value])
  const failureText = computed(() => (failure.value ? FAILURE_TEXT[failure.value] : null))

  function stop(): void {
    generation++
    scheduler?.stop()
    scheduler = null
    engine = null
  }

  /**
   * While the organiser's sign-in code or roll is open, sync every few seconds (foreground only)
   * so 已签到 n / 应到 m follows the scans; call the returned function when the page closes.
   */
  function followClosely(): () => void {
    followers.value++
    let released = false
    return () => {
      if (released) return
      released = true
      followers.value--
    }
  }
  watch(followers, (n) => scheduler?.closely(n > 0))

  watch(
    () => [session.db, session.user] as const,
    ([current]) => {
      stop()
      failure.value = null
      lastError.value = null
      const user = session.user
      if (!current || !user) return
      const gen = generation
      starting = Promise.all([import('./engine.ts'), import('./scheduler.ts')])
        .then(([{ SyncEngine }, { startScheduler }]) => {
          if (gen !== generation) return
          engine = new SyncEngine(current, api)
          scheduler = startScheduler(runOnce, { lockName: `suixing-sync-${user.id}` })
          if (followers.value > 0) scheduler.closely(true)
        })
        // Not loaded (offline before the app was ever cached whole): shown like any other sync fault.
        .catch((err: unknown) => fail('unexpected', err))
    },
    { immediate: true },
  )

  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => (online.value = true))
    window.addEventListener('offline', () => (online.value = false))
  }

  /** Where to fix a refused change: a deleted or never-accepted record comes back as a new one; an existing one is edited again. */
  function fixLink(r: RejectedEntry): string | null {
    if (r.mutation.table === 'meetings') return r.snapshot ? `/meetings/${r.mutation.rowId}` : null
    if (r.mutation.table === 'attendance' || r.mutation.table === 'makeups') {
      const meetingId = r.mutation.fields?.meetingId
      return typeof meetingId === 'string' ? `/meetings/${meetingId}` : null
    }
    if (r.mutation.table !== 'study_records') return null
    const gone = r.code === 'deleted' || r.snapshot === null || r.snapshot.deleted === true
    return gone ? `/study/new?from=${r.id}` : `/study/${r.mutation.rowId}?from=${r.id}`
  }

  async function discard(id: string): Promise<void> {
    await db()?.rejected.delete(id)
  }

  return {
    pending,
    rejected,
    lastSyncAt,
    state,
    stateText,
    failure,
    failureText,
    lastError,
    online,
    syncNow: runOnce,
    followClosely,
    discard,
    fixLink,
  }
})
