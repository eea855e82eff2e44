import type { Selectable } from 'kysely'
import type { BranchTable, OathRenewalTable, ReminderSettingsTable, StudyRecordTable, UserTable } from '../db/schema.ts'
import type { Branch, OathRenewal, ReminderSettings, StudyRecord, UserProfile } from '../../core/schemas/entities.ts'
import type { Role } from '../../core/domain/roles.ts'
import type { StudyKind } from '../../core/domain/study-kinds.ts'
import type { Viewer } from './viewer.ts'

/** SQL rows → the shared wire entities (core/schemas/entities.ts). */
export function branchToWire(r: Selectable<BranchTable>): Branch {
  return { id: r.id, orgId: r.org_id, name: r.name, archived: r.archived === 1 }
}

type UserColumns = Pick<Selectable<UserTable>, 'id' | 'org_id' | 'branch_id' | 'name' | 'role' | 'joined_party_on' | 'full_member_on' | 'removed_at'>

/** Party dates are political records: only the person, their branch's secretary and administrators see them. */
export function maySeePartyDates(viewer: Viewer, r: Pick<UserColumns, 'id' | 'branch_id'>): boolean {
  return viewer.id === r.id || viewer.role === 'admin' || (viewer.role === 'secretary' && viewer.branchId !== null && viewer.branchId === r.branch_id)
}

export function userToWire(r: UserColumns, viewer: Viewer): UserProfile {
  const dates = maySeePartyDates(viewer, r)
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    name: r.name,
    role: r.role as Role,
    removed: r.removed_at !== null,
    joinedPartyOn: dates ? r.joined_party_on : null,
    fullMemberOn: dates ? r.full_member_on : null,
  }
}

export function studyToWire(r: Selectable<StudyRecordTable>): StudyRecord {
  return {
    id: r.id,
    ownerId: r.owner_id,
    branchId: r.branch_id,
    orgId: r.org_id,
    kind: r.kind as StudyKind,
    title: r.title,
    date: r.date,
    minutes: Number(r.minutes),
    notes: r.notes,
    sourceUrl: r.source_url,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

export function oathRenewalToWire(r: Selectable<OathRenewalTable>): OathRenewal {
  return { id: r.id, ownerId: r.owner_id, branchId: r.branch_id, orgId: r.org_id, date: r.date, createdAt: r.created_at, deleted: r.deleted === 1 }
}

export function reminderSettingsToWire(r: Selectable<ReminderSettingsTable>): ReminderSettings {
  return {
    id: r.id,
    orgId: r.org_id,
    birthday: r.birthday === 1,
    branchWeekAhead: r.branch_week_ahead === 1,
    studyGap: r.study_gap === 1,
    unsynced: r.unsynced === 1,
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    updatedAt: r.updated_at,
  }
}
