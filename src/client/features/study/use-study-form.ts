import { computed, reactive, ref } from 'vue'
import { showConfirmDialog, showToast } from 'vant'
import 'vant/es/dialog/style'
import 'vant/es/toast/style'
import { useStudyStore } from './study.store.ts'
import { StudyInputError, type StudyDraft } from './study.repo.ts'
import { StorageFullError } from '../../db/errors.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import { STUDY_KINDS, type StudyKind } from '../../../core/domain/study-kinds.ts'

const todayLocal = (): string => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * The study record form: new, edit, or a refused change opened again (`fromRejected`).
 * Nothing is reported as saved unless the local transaction committed.
 */
export function useStudyForm(id: string | null, fromRejected: string | null, done: () => void) {
  const study = useStudyStore()
  const sync = useSyncStore()
  const draft = reactive<StudyDraft>({ kind: 'self_study', title: '', date: todayLocal(), minutes: 60, notes: '', sourceUrl: '' })
  const error = ref<string | null>(null)
  const saving = ref(false)
  const missing = ref(false)

  const fill = (src: Record<string, unknown>) => {
    if (typeof src.kind === 'string' && (STUDY_KINDS as readonly string[]).includes(src.kind)) draft.kind = src.kind as StudyKind
    for (const k of ['title', 'date', 'notes', 'sourceUrl'] as const) if (typeof src[k] === 'string') draft[k] = src[k]
    if (typeof src.minutes === 'number') draft.minutes = src.minutes
  }
  // A refused change opened again: what the user wrote, laid over the record as it is now.
  const rejected = fromRejected ? sync.rejected.find((r) => r.id === fromRejected) : undefined
  const fillRejected = () => rejected && fill({ ...rejected.snapshot, ...rejected.mutation.fields })
  if (id)
    void study.load(id).then((r) => {
      if (!r) return (missing.value = true)
      fill(r)
      fillRejected()
    })
  else fillRejected()

  const minutesText = computed({
    get: () => (Number.isFinite(draft.minutes) ? String(draft.minutes) : ''),
    set: (v: string) => (draft.minutes = v === '' ? Number.NaN : Number(v)),
  })

  async function submit(): Promise<void> {
    error.value = null
    saving.value = true
    try {
      if (id) await study.save(id, { ...draft })
      else await study.add({ ...draft })
      if (rejected) await sync.discard(rejected.id)
      showToast(sync.online ? '已保存' : '已保存在本机，联网后自动同步')
      done()
    } catch (err) {
      if (err instanceof StudyInputError || err instanceof StorageFullError) error.value = err.message
      else {
        error.value = '保存失败，请重试'
        console.error(err)
      }
    } finally {
      saving.value = false
    }
  }

  async function remove(): Promise<void> {
    if (!id) return
    try {
      await showConfirmDialog({ title: '删除这条学习记录？', message: '删除后将在您的所有设备上同步删除。', confirmButtonText: '删除', cancelButtonText: '取消' })
    } catch {
      return
    }
    await study.remove(id)
    showToast('已删除')
    done()
  }

  const setMinutes = (m: number) => (draft.minutes = m)
  return reactive({ draft, error, saving, missing, editing: id !== null, minutesText, submit, remove, setMinutes })
}
