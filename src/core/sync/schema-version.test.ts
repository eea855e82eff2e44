import { describe, expect, it } from 'vitest'
import type * as v from 'valibot'
import {
  Attendance,
  Branch,
  Feedback,
  DuesPayment,
  DuesProfile,
  Followup,
  Household,
  Makeup,
  Meeting,
  OathRenewal,
  OutsideTraining,
  Rectification,
  ReminderSettings,
  StudyRecord,
  UserProfile,
  Visit,
} from '../schemas/entities.ts'
import { ReviewCycle, ReviewGrade, ReviewPaper } from '../schemas/review.ts'
import { LEGACY_SCHEMA_VERSION, SCHEMA_HISTORY, SCHEMA_VERSION, catalogueAt, parseSchemaVersion } from './schema-version.ts'
import { SYNCED_TABLES, type SyncedTable } from './tables.ts'

const ENTITIES: Record<SyncedTable, v.ObjectSchema<v.ObjectEntries, undefined>> = {
  branches: Branch,
  users: UserProfile,
  study_records: StudyRecord,
  oath_renewals: OathRenewal,
  reminder_settings: ReminderSettings,
  meetings: Meeting,
  attendance: Attendance,
  makeups: Makeup,
  households: Household,
  visits: Visit,
  followups: Followup,
  feedback: Feedback,
  dues_profiles: DuesProfile,
  dues_payments: DuesPayment,
  outside_trainings: OutsideTraining,
  rectifications: Rectification,
  review_cycles: ReviewCycle,
  review_papers: ReviewPaper,
  review_grades: ReviewGrade,
}

/** FNV-1a over the UTF-16 code units, twice (two offsets): a fingerprint, not a secret. */
function fingerprint(text: string): string {
  return [0x811c9dc5, 0x01000193]
    .map((offset) => {
      let h = offset
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
      return h.toString(16).padStart(8, '0')
    })
    .join('')
}

/**
 * Released entries never change (apps in the field rely on them): a new table or field is a new
 * entry. Add the hash of a new entry here when it is released.
 */
const RELEASED: Record<number, string> = {
  1: 'b708efe894cce78a',
}

describe('schema versions (docs/sync.md, "Versions")', () => {
  it('numbers the history 1, 2, 3… and SCHEMA_VERSION is its last entry', () => {
    expect(SCHEMA_HISTORY.map((s) => s.version)).toEqual(SCHEMA_HISTORY.map((_, i) => i + 1))
    expect(SCHEMA_HISTORY.at(-1)?.version).toBe(SCHEMA_VERSION)
    expect(LEGACY_SCHEMA_VERSION).toBe(1)
  })

  it('the current version lists every synced table and every field of its wire entity, and nothing else', () => {
    const now = catalogueAt(SCHEMA_VERSION)
    expect([...now.pulled.keys()].sort()).toEqual([...SYNCED_TABLES].sort())
    for (const table of SYNCED_TABLES)
      expect([...(now.pulled.get(table) ?? [])].sort(), table).toEqual(Object.keys(ENTITIES[table].entries).sort())
  })

  it('never adds a table or field twice', () => {
    const seen = new Set<string>()
    for (const step of SCHEMA_HISTORY)
      for (const [table, fields] of Object.entries(step.added))
        for (const f of fields) {
          expect(seen.has(`${table}.${f}`), `${table}.${f} in version ${step.version}`).toBe(false)
          seen.add(`${table}.${f}`)
        }
  })

  it('released entries are unchanged', () => {
    for (const [version, hash] of Object.entries(RELEASED)) {
      const step = SCHEMA_HISTORY.find((s) => s.version === Number(version))
      const what = JSON.stringify({ added: step?.added, writeOnly: step?.writeOnly })
      expect(fingerprint(what), `version ${version}`).toBe(hash)
    }
  })

  it('describes an older version by the entries up to it, with write-only fields for pushes', () => {
    const history = [
      { version: 1, note: 'a', added: { branches: ['id', 'name'] as const }, writeOnly: { attendance: ['scan'] } },
      { version: 2, note: 'b', added: { branches: ['archived'] as const, visits: ['id'] as const } },
    ]
    const one = catalogueAt(1, history)
    expect(one.version).toBe(1)
    expect([...one.pulled.keys()]).toEqual(['branches'])
    expect([...(one.pulled.get('branches') ?? [])]).toEqual(['id', 'name'])
    expect([...(one.written.get('attendance') ?? [])]).toEqual(['scan'])
    const later = catalogueAt(7, history)
    expect(later.version).toBe(2)
    expect([...(later.pulled.get('branches') ?? [])]).toEqual(['id', 'name', 'archived'])
    expect(later.pulled.has('visits')).toBe(true)
  })

  it('reads the header: absent is an app from before it; anything but a positive number is refused', () => {
    expect(parseSchemaVersion(undefined)).toBe(LEGACY_SCHEMA_VERSION)
    expect(parseSchemaVersion('1')).toBe(1)
    expect(parseSchemaVersion('12')).toBe(12)
    for (const bad of ['', '0', '-1', '1.5', 'x', '01', '1234567', ['1', '2']]) expect(parseSchemaVersion(bad), String(bad)).toBeNull()
  })
})
