import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { StudyKind } from '../../../core/domain/study-kinds.ts'
import type { StudyRecord, UserProfile } from '../../../core/schemas/entities.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../auth/session.store.ts'
import type { StudyDraft } from './study.repo.ts'
import { getStudy, monthRecords } from './study.queries.ts'

// Writes validate with the shared schemas: loaded on the first write, not on the home screen.
const writes = () => import('./study.repo.ts')
import { filterRecords, monthOf, summarize } from './study-summary.ts'

export const useStudyStore = defineStore('study', () => {
  const session = useSessionStore()
  const month = ref(monthOf(new Date()))
  const kind = ref<StudyKind | 'all'>('all')
  const query = ref('')
  /** Whose records are shown: the member's own, or (secretary, administrator) a member in scope. */
  const memberId = ref<string | null>(null)
  const viewedId = computed(() => memberId.value ?? session.user?.id ?? '')
  const readOnly = computed(() => viewedId.value !== session.user?.id)

  const records = useLiveQuery<StudyRecord[]>(
    () => (session.db ? monthRecords(session.db, viewedId.value, month.value) : []),
    [],
    [month, viewedId, () => session.db],
  )
  const pendingIds = useLiveQuery<Set<string>>(
    // Only the [table, rowId] index keys: no mutation bodies are read on each write.
    async () => {
      const keys: unknown[] = (await session.db?.outbox.orderBy('[table+rowId]').uniqueKeys()) ?? []
      return new Set(keys.flatMap((k) => (Array.isArray(k) && k[0] === 'study_records' ? [String(k[1])] : [])))
    },
    new Set(),
    [() => session.db],
  )
  /** Members whose records this person may read (the server decided what was synced here). */
  const members = useLiveQuery<UserProfile[]>(
    async () => ((await session.db?.users.toArray()) ?? []).filter((u) => !u.removed).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
    [],
    [() => session.db],
  )

  const visible = computed(() => filterRecords(records.value, kind.value, query.value))
  const summary = computed(() => summarize(records.value))

  function requireDb() {
    if (!session.db || !session.user) throw new Error('未登录')
    return { db: session.db, user: session.user }
  }

  async function add(draft: StudyDraft): Promise<StudyRecord> {
    const { db, user } = requireDb()
    return (await writes()).createStudy(db, user, draft)
  }
  async function save(id: string, draft: StudyDraft): Promise<void> {
    await (await writes()).updateStudy(requireDb().db, id, draft)
  }
  async function remove(id: string): Promise<void> {
    await (await writes()).removeStudy(requireDb().db, id)
  }
  async function load(id: string): Promise<StudyRecord | undefined> {
    return getStudy(requireDb().db, id)
  }

  return { month, kind, query, memberId, readOnly, records, visible, summary, pendingIds, members, add, save, remove, load }
})
