import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { StudyKind } from '../../../core/domain/study-kinds.ts'
import type { StudyRecord } from '../../../core/schemas/entities.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { usePeopleStore } from '../people/people.store.ts'
import type { StudyDraft } from './study.repo.ts'
import { getStudy, monthRecords, newestFirst } from './study.queries.ts'

// Writes validate with the shared schemas: loaded on the first write, not on the home screen.
const writes = loadOnce(() => import('./study.repo.ts'))
import { filterRecords, monthOf, summarize } from './study-summary.ts'
import { loadOnce } from '../../composables/load-once.ts'

/** A record shown before IndexedDB has it: until the live query returns it as stored, or the write fails. */
interface Optimistic {
  row: StudyRecord
  /** The row as stored, once the write committed; the entry goes when the live query has caught up. */
  saved: StudyRecord | null
}

/** A write that is already on screen; `committed` settles when IndexedDB has it (rejects, and the row goes, when not). */
export interface ShownWrite {
  committed: Promise<void>
}

/** How long a committed entry may wait for the live query before it gives way to what is stored. */
const CATCH_UP_MS = 3000

export const useStudyStore = defineStore('study', () => {
  const session = useSessionStore()
  const month = ref(monthOf(new Date()))
  const kind = ref<StudyKind | 'all'>('all')
  const query = ref('')
  /** Whose records are shown: the member's own, or (secretary, administrator) a member in scope. */
  const memberId = ref<string | null>(null)
  const viewedId = computed(() => memberId.value ?? session.user?.id ?? '')
  const readOnly = computed(() => viewedId.value !== session.user?.id)

  const stored = useLiveQuery<StudyRecord[]>(
    () => (session.db ? monthRecords(session.db, viewedId.value, month.value) : []),
    [],
    [month, viewedId, () => session.db],
  )
  const queued = useLiveQuery<Set<string>>(
    // Only the [table, rowId] index keys: no mutation bodies are read on each write.
    async () => {
      const keys: unknown[] = (await session.db?.outbox.orderBy('[table+rowId]').uniqueKeys()) ?? []
      return new Set(keys.flatMap((k) => (Array.isArray(k) && k[0] === 'study_records' ? [String(k[1])] : [])))
    },
    new Set(),
    [() => session.db],
  )
  /** Members whose records this person may read (the server decided what was synced here). */
  const people = usePeopleStore()
  const members = computed(() => people.people)

  /** Records shown at once on 保存 (tap → the row in the next frame), by id. */
  const optimistic = shallowRef<ReadonlyMap<string, Optimistic>>(new Map())
  const setOptimistic = (change: (m: Map<string, Optimistic>) => void) => {
    const next = new Map(optimistic.value)
    change(next)
    optimistic.value = next
  }
  /** Drops `entry` (only if a later write of the same record has not replaced it). */
  const drop = (entry: Optimistic) => {
    if (optimistic.value.get(entry.row.id) === entry) setOptimistic((m) => m.delete(entry.row.id))
  }
  /** In the list as it is chosen now (the member, the month). */
  const inView = (r: StudyRecord): boolean => !r.deleted && r.ownerId === viewedId.value && r.date.startsWith(`${month.value}-`)
  /** The live query holds the committed write (or would not show it anyway). */
  const caughtUp = (entry: Optimistic, rows: StudyRecord[]): boolean => {
    const saved = entry.saved
    if (!saved) return false
    const live = rows.find((r) => r.id === saved.id)
    return live ? live.updatedAt >= saved.updatedAt : !inView(saved)
  }
  // The live query's answer replaces an optimistic row once it holds the write.
  watch(stored, (rows) => {
    for (const entry of optimistic.value.values()) if (caughtUp(entry, rows)) drop(entry)
  })

  /** What IndexedDB holds, with the rows being saved laid over it. */
  const records = computed<StudyRecord[]>(() => {
    if (optimistic.value.size === 0) return stored.value
    const byId = new Map(stored.value.map((r) => [r.id, r]))
    for (const { row } of optimistic.value.values()) byId.set(row.id, row)
    return [...byId.values()].filter(inView).sort(newestFirst)
  })
  /** Unsynced: in the outbox, or still being written. */
  const pendingIds = computed<Set<string>>(() =>
    optimistic.value.size === 0 ? queued.value : new Set([...queued.value, ...optimistic.value.keys()]),
  )

  /** Shows `row` now, and takes it away again if `write` fails. */
  function show(row: StudyRecord, write: Promise<StudyRecord>): ShownWrite {
    const entry: Optimistic = { row, saved: null }
    setOptimistic((m) => m.set(row.id, entry))
    const committed = write.then(
      (saved) => {
        entry.saved = saved
        if (caughtUp(entry, stored.value)) drop(entry)
        else setTimeout(() => drop(entry), CATCH_UP_MS)
      },
      (err: unknown) => {
        drop(entry)
        throw err
      },
    )
    return { committed }
  }

  const visible = computed(() => filterRecords(records.value, kind.value, query.value))
  const summary = computed(() => summarize(records.value))

  function requireDb() {
    if (!session.db || !session.user) throw new Error('未登录')
    return { db: session.db, user: session.user }
  }

  /**
   * A new record: checked (a ValidationError is thrown here, nothing shown), shown in the list at
   * once, and written (row + outbox in one transaction); `committed` says when it is stored.
   */
  async function add(draft: StudyDraft): Promise<ShownWrite> {
    const { db, user } = requireDb()
    const repo = await writes()
    const prepared = repo.prepareStudy(user, draft)
    return show(prepared.row, repo.writeNewStudy(db, prepared))
  }
  /** An edit, the same way; `base` is the record as the form loaded it. */
  async function save(id: string, draft: StudyDraft, base?: StudyRecord): Promise<ShownWrite> {
    const { db } = requireDb()
    const repo = await writes()
    const input = repo.checkStudyEdit(draft)
    const write = repo.updateStudy(db, id, input)
    const current = base ?? stored.value.find((r) => r.id === id)
    if (!current) return { committed: write.then(() => undefined) }
    return show({ ...current, ...input, updatedAt: new Date().toISOString() }, write)
  }
  async function remove(id: string): Promise<void> {
    await (await writes()).removeStudy(requireDb().db, id)
  }
  /** The form is open: its write code loads now, so 保存 does not wait for it. */
  const prepareToWrite = (): void => void writes().catch(() => undefined)
  async function load(id: string): Promise<StudyRecord | undefined> {
    return getStudy(requireDb().db, id)
  }

  return { month, kind, query, memberId, readOnly, records, visible, summary, pendingIds, members, add, save, remove, load, prepareToWrite }
})
