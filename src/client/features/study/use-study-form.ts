import { computed, reactive, ref } from 'vue'
import { showConfirmDialog, showToast } from 'vant'
import 'vant/es/dialog/style'
import 'vant/es/toast/style'
import { useStudyStore } from './study.store.ts'
import { ValidationError, type StudyDraft } from './study.repo.ts'
import { StorageFullError } from '../../db/errors.ts'
import { useSyncStore } from '../../sync/sync.store.ts'
import { STUDY_KINDS, type StudyKind } from '../../../core/domain/study-kinds.ts'
import type { StudyRecord } from '../../../core/schemas/entities.ts'
import type { ShownWrite } from './study.store.ts'

/** What the member reads when a save did not reach the phone's storage (the row has left the list again). */
export function saveFailedText(err: unknown): string {
  if (err instanceof ValidationError || err instanceof StorageFullError) return `未能保存：${err.message}`
  return '保存失败，这条学习记录未能存入本机，请重新填写后再试'
}

const todayLocal = (): string => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * The study record form: new, edit, or a refused change opened again (`fromRejected`).
 * 保存 shows the row in the list at once (optimistic) and goes back to it; 已保存 is said only once
 * the local transaction committed, and a write that fails takes the row away with a toast saying so.
 */
export function useStudyForm(id: string | null, fromRejected: string | null, done: () => void) {
  const study = useStudyStore()
  const sync = useSyncStore()
  study.prepareToWrite()
  const draft = reactive<StudyDraft>({ kind: 'self_study', title: '', date: todayLocal(), minutes: 60, notes: '', sourceUrl: '' })
  const error = ref<string | null>(null)
  const saving = ref(false)
  const missing = ref(false)
  /** The record as loaded (an edit): what the list shows, with the edit laid over it, until it is stored. */
  let loaded: StudyRecord | undefined

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
      loaded = r
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
    let shown: ShownWrite
    try {
      // Checked here: input the schema refuses stays on the form with its reason, nothing shown.
      shown = id ? await study.save(id, { ...draft }, loaded) : await study.add({ ...draft })
    } catch (err) {
      if (err instanceof ValidationError || err instanceof StorageFullError) error.value = err.message
      else {
        error.value = '保存失败，请重试'
        console.error(err)
      }
      return
    } finally {
      saving.value = false
    }
    // The row is in the list already: back to it without waiting for the write.
    done()
    await shown.committed.then(
      async () => {
        if (rejected) await sync.discard(rejected.id)
        showToast(sync.online ? '已保存' : '已保存在本机，联网后自动同步')
      },
      (err: unknown) => {
        if (!(err instanceof ValidationError || err instanceof StorageFullError)) console.error(err)
        showToast({ message: saveFailedText(err), duration: 4000 })
      },
    )
  }

  async function remove(): Promise<void> {
    if (!id) return
    try {
      await showConfirmDialog({
        title: '删除这条学习记录？',
        message: '删除后将在您的所有设备上同步删除。',
        confirmButtonText: '删除',
        cancelButtonText: '取消',
      })
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
