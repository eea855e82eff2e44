import type { Selectable } from 'kysely'
import type {
  AttendanceTable,
  BranchTable,
  FollowupTable,
  HouseholdTable,
  MakeupTable,
  MeetingTable,
  VisitTable,
  OathRenewalTable,
  ReminderSettingsTable,
  StudyRecordTable,
  UserTable,
} from '../db/schema.ts'
import type {
  Attendance,
  Branch,
  Followup,
  Household,
  Makeup,
  Meeting,
  Visit,
  OathRenewal,
  ReminderSettings,
  StudyRecord,
  UserProfile,
} from '../../core/schemas/entities.ts'
import type { MeetingType } from '../../core/domain/meetings.ts'
import type { Role } from '../../core/domain/roles.ts'
import type { StudyKind } from '../../core/domain/study-kinds.ts'
import type { Viewer } from '../lib/viewer.ts'
import { managesBranch } from '../../core/domain/authority.ts'

/** SQL rows → the shared wire entities (core/schemas/entities.ts). */
export function branchToWire(r: Selectable<BranchTable>, groups: readonly { id: string; name: string }[] = []): Branch {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    archived: r.archived === 1,
    startedOn: r.started_on,
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
  }
}

/** The columns of a person's row that go on the wire. */
export const USER_WIRE_COLUMNS = [
  'id',
  'org_id',
  'branch_id',
  'name',
  'role',
  'joined_party_on',
  'full_member_on',
  'removed_at',
  'group_id',
  'committee',
] as const
type UserColumns = Pick<Selectable<UserTable>, (typeof USER_WIRE_COLUMNS)[number]>

/** Party dates are political records: only the person, their branch's secretary and administrators see them. */
export function maySeePartyDates(viewer: Viewer, r: Pick<UserColumns, 'id' | 'branch_id'>): boolean {
  return viewer.id === r.id || managesBranch(viewer, r.branch_id)
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
    groupId: r.group_id,
    committee: r.committee === 1,
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
  return {
    id: r.id,
    ownerId: r.owner_id,
    branchId: r.branch_id,
    orgId: r.org_id,
    date: r.date,
    createdAt: r.created_at,
    deleted: r.deleted === 1,
  }
}

export function reminderSettingsToWire(r: Selectable<ReminderSettingsTable>): ReminderSettings {
  return {
    id: r.id,
    orgId: r.org_id,
    birthday: r.birthday === 1,
    branchWeekAhead: r.branch_week_ahead === 1,
    meetingTomorrow: r.meeting_tomorrow === 1,
    studyGap: r.study_gap === 1,
    unsynced: r.unsynced === 1,
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    updatedAt: r.updated_at,
  }
}

export function meetingToWire(r: Selectable<MeetingTable>, viewer: Viewer): Meeting {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    type: r.type as MeetingType,
    topic: r.topic,
    startsAt: r.starts_at,
    durationMinutes: Number(r.duration_minutes),
    place: r.place,
    organiserId: r.organiser_id,
    speaker: r.speaker,
    expectedIds: JSON.parse(r.expected_ids) as string[],
    agenda: r.agenda,
    minutes: r.minutes,
    talkWithId: r.talk_with_id,
    photoIds: JSON.parse(r.photo_ids) as string[],
    createdAt: r.created_at,
    signKey: managesBranch(viewer, r.branch_id) ? r.sign_key : null,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

export function attendanceToWire(r: Selectable<AttendanceTable>): Attendance {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    meetingId: r.meeting_id,
    memberId: r.member_id,
    status: r.status as Attendance['status'],
    method: r.method as Attendance['method'],
    signedAt: r.signed_at,
    leaveReason: r.leave_reason,
    leaveState: r.leave_state as Attendance['leaveState'],
    markedBy: r.marked_by,
    note: r.note,
    updatedAt: r.updated_at,
  }
}

export function makeupToWire(r: Selectable<MakeupTable>): Makeup {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    memberId: r.member_id,
    meetingId: r.meeting_id,
    content: r.content,
    date: r.date,
    notes: r.notes,
    createdAt: r.created_at,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

export function householdToWire(r: Selectable<HouseholdTable>): Household {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    name: r.name,
    address: r.address,
    village: r.village,
    contact: r.contact,
    situation: r.situation,
    needs: r.needs,
    memberIds: JSON.parse(r.member_ids) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

export function visitToWire(r: Selectable<VisitTable>): Visit {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    householdId: r.household_id,
    place: r.place,
    visitedAt: r.visited_at,
    memberIds: JSON.parse(r.member_ids) as string[],
    findings: r.findings,
    problems: r.problems,
    location: r.location,
    photoIds: JSON.parse(r.photo_ids) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}

export function followupToWire(r: Selectable<FollowupTable>): Followup {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    householdId: r.household_id,
    visitId: r.visit_id,
    text: r.text,
    ownerId: r.owner_id,
    dueOn: r.due_on,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    closeNote: r.close_note,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}
