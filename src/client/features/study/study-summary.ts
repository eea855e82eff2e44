import { STUDY_KINDS, type StudyKind } from '../../../core/domain/study-kinds.ts'
import type { StudyRecord } from '../../../core/schemas/entities.ts'

export interface StudySummary {
  count: number
  minutes: number
  byKind: { kind: StudyKind; count: number; minutes: number }[]
}

/** Totals of a list of records, per kind in display order (kinds with no record left out). */
export function summarize(records: readonly Pick<StudyRecord, 'kind' | 'minutes'>[]): StudySummary {
  const per = new Map<StudyKind, { count: number; minutes: number }>()
  let minutes = 0
  for (const r of records) {
    minutes += r.minutes
    const k = per.get(r.kind) ?? { count: 0, minutes: 0 }
    k.count += 1
    k.minutes += r.minutes
    per.set(r.kind, k)
  }
  const byKind = STUDY_KINDS.filter((k) => per.has(k)).map((kind) => ({ kind, ...(per.get(kind) as { count: number; minutes: number }) }))
  return { count: records.length, minutes, byKind }
}

/** "2 小时 15 分钟" style. */
export function formatMinutes(total: number): string {
  const h = Math.floor(total / 60)
  const m = total % 60
  if (h === 0) return `${m} 分钟`
  return m === 0 ? `${h} 小时` : `${h} 小时 ${m} 分钟`
}

/** YYYY-MM of a local date. */
export function monthOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return monthOf(new Date(y, m - 1 + delta, 1))
}

export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return `${y}年${m}月`
}

export function filterRecords(records: readonly StudyRecord[], kind: StudyKind | 'all', query: string): StudyRecord[] {
  const q = query.trim().toLowerCase()
  return records.filter((r) => (kind === 'all' || r.kind === kind) && (q === '' || r.title.toLowerCase().includes(q)))
}
