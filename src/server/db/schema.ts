import type { MemberStatus, Role } from '../../core/domain/roles.ts'
import type { StudyKind } from '../../core/domain/study-kinds.ts'
import type { MeetingType } from '../../core/domain/meetings.ts'
import type { ReminderKind } from '../../core/domain/reminders.ts'
import type { MembershipEventKind } from '../../core/schemas/people.ts'
import type { Attendance } from '../../core/schemas/entities.ts'

/**
 * SQL tables. Booleans are 0/1 integers and times ISO-8601 text so SQLite and PostgreSQL agree.
 * Columns that hold one of a few values are typed with core's unions (every write is validated
 * against them first); JSON columns are text, read with db/json.ts.
 */
export interface MetaTable {
  key: string
  value: string
}
export interface CounterTable {
  name: string
  value: number
}
export interface OrganizationTable {
  id: string
  name: string
  created_at: string
  rules: string | null
}
export interface BranchTable {
  id: string
  org_id: string
  name: string
  archived: number
  seq: number
  updated_at: string
  /** China date the branch was set up: what it owes is judged from then. */
  started_on: string | null
}
export interface UserTable {
  id: string
  org_id: string
  branch_id: string | null
  name: string
  phone: string
  password_hash: string
  role: Role
  created_at: string
  updated_at: string
  seq: number
  joined_party_on: string | null
  full_member_on: string | null
  group_id: string | null
  /** 'full' 正式党员 | 'probationary' 预备党员 */
  status: MemberStatus
  note: string
  /** 1: also on the leadership body (领导班子) for 民主生活会. */
  leadership: number
  scope_version: number
  activated: number
  removed_at: string | null
  /** 1: on the branch committee (支部委员): expected at 支部委员会. */
  committee: number
}
export interface SessionTable {
  token_hash: string
  user_id: string
  created_at: string
  last_seen_at: string
  expires_at: string
  revoked_at: string | null
  user_agent: string
  id: string | null
  revoked_reason: 'logout' | 'remote' | null
}
export interface StudyRecordTable {
  id: string
  owner_id: string
  branch_id: string | null
  org_id: string
  kind: StudyKind
  title: string
  date: string
  minutes: number
  notes: string
  source_url: string
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
export interface MutationTable {
  id: string
  user_id: string
  result: string
  created_at: string
}
export interface OathRenewalTable {
  id: string
  owner_id: string
  branch_id: string | null
  org_id: string
  date: string
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
export interface CalendarFeedTable {
  user_id: string
  token_hash: string
  created_at: string
}
export interface ReminderSettingsTable {
  /** The person's user id: one row each. */
  id: string
  org_id: string
  birthday: number
  branch_week_ahead: number
  meeting_tomorrow: number
  study_gap: number
  unsynced: number
  quiet_start: string
  quiet_end: string
  updated_at: string
  seq: number
}
export interface PushSubscriptionTable {
  endpoint: string
  user_id: string
  p256dh: string
  auth: string
  user_agent: string
  created_at: string
  last_sent_at: string | null
}
export interface ReminderSentTable {
  user_id: string
  kind: ReminderKind
  key: string
  sent_at: string
  /** 1 once at least one of the person's devices accepted it. */
  delivered: number
}
export interface PartyGroupTable {
  id: string
  org_id: string
  branch_id: string
  name: string
  archived: number
  updated_at: string
}
export interface MembershipEventTable {
  id: string
  org_id: string
  user_id: string
  kind: MembershipEventKind
  from_branch_id: string | null
  to_branch_id: string | null
  date: string
  note: string
  actor_id: string | null
  at: string
}
export interface ActivationCodeTable {
  code_hash: string
  user_id: string
  created_by: string
  created_at: string
  expires_at: string
  used_at: string | null
}
export interface AuditLogTable {
  id: string
  org_id: string
  actor_id: string
  action: string
  target_id: string | null
  summary: string
  detail: string
  device: string
  ip: string
  at: string
}
export interface MeetingTable {
  id: string
  org_id: string
  branch_id: string | null
  type: MeetingType
  topic: string
  starts_at: string
  duration_minutes: number
  place: string
  organiser_id: string
  speaker: string
  /** JSON array of user ids. */
  expected_ids: string
  agenda: string
  minutes: string
  talk_with_id: string | null
  sign_key: string
  /** JSON array of photo ids. */
  photo_ids: string
  created_by: string
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
export interface AttendanceTable {
  id: string
  org_id: string
  branch_id: string | null
  meeting_id: string
  member_id: string
  status: Attendance['status']
  method: Attendance['method']
  signed_at: string | null
  leave_reason: string
  leave_state: Attendance['leaveState']
  marked_by: string | null
  note: string
  updated_at: string
  seq: number
}
export interface MakeupTable {
  id: string
  org_id: string
  branch_id: string | null
  meeting_id: string
  member_id: string
  content: string
  date: string
  notes: string
  confirmed_by: string | null
  confirmed_at: string | null
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
/** The year's review cycle of a branch (docs/review-ballots.md). */
export interface ReviewCycleTable {
  id: string
  org_id: string
  branch_id: string
  year: number
  opens_on: string
  life_meeting_on: string | null
  assessment_on: string | null
  prompt: string
  meeting_id: string | null
  /** 'none' | 'open' | 'closed' */
  ballot: string
  /** JSON list of the members assessed, fixed when the ballot opened. */
  subject_ids: string
  closed_at: string | null
  created_at: string
  updated_at: string
  seq: number
}
/** A member's 对照检查 / 书面发言: read by the author alone until handed in. */
export interface ReviewPaperTable {
  id: string
  org_id: string
  branch_id: string
  cycle_id: string
  author_id: string
  kind: string
  text: string
  handed_in_at: string | null
  created_at: string
  updated_at: string
  seq: number
}
/** The committee's 评定 of a member: read by that member and the committee only. */
export interface ReviewGradeTable {
  id: string
  org_id: string
  branch_id: string
  cycle_id: string
  member_id: string
  grade: string | null
  feedback: string
  graded_by: string | null
  updated_at: string
  seq: number
}
/** Who has voted in a cycle: one row, a sorted JSON id list (no order, no time). */
export interface ReviewVotersTable {
  cycle_id: string
  org_id: string
  voter_ids: string
}
/** The cycle's counts: one row, canonical JSON {subjectId: {excellent, qualified, basic, unqualified}}. */
export interface ReviewCountsTable {
  cycle_id: string
  org_id: string
  counts: string
}
/** Paper ballots counted by hand and entered as a tally. */
export interface ReviewPaperTallyTable {
  id: string
  org_id: string
  cycle_id: string
  ballots: number
  counts: string
  entered_by: string
  created_at: string
}
export interface HouseholdTable {
  id: string
  org_id: string
  branch_id: string
  name: string
  address: string
  village: string
  contact: string
  situation: string
  needs: string
  member_ids: string
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
export interface VisitTable {
  id: string
  org_id: string
  branch_id: string | null
  household_id: string | null
  place: string
  visited_at: string
  member_ids: string
  findings: string
  problems: string
  location: string | null
  photo_ids: string
  created_by: string
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
export interface FollowupTable {
  id: string
  org_id: string
  branch_id: string | null
  household_id: string | null
  visit_id: string
  text: string
  owner_id: string
  due_on: string
  closed_at: string | null
  close_note: string
  created_by: string
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
export interface PhotoTable {
  id: string
  org_id: string
  /** 'visits' or 'meetings': what the photo belongs to (its id is in owner_id). */
  owner_table: 'visits' | 'meetings'
  owner_id: string
  uploader_id: string
  mime: string
  total: number
  received: number
  complete: number
  created_at: string
}

/** Login and activation attempts per address or account in a one-minute window (shared by all processes). */
export interface AttemptCounterTable {
  key: string
  window_start: string
  count: number
}
/** Failed attempts in a row per account, and the lock they earned. */
export interface AttemptFailureTable {
  key: string
  failures: number
  last_failed_at: string
  locked_until: string | null
}

export interface Database {
  meta: MetaTable
  counters: CounterTable
  organizations: OrganizationTable
  branches: BranchTable
  users: UserTable
  sessions: SessionTable
  study_records: StudyRecordTable
  mutations: MutationTable
  calendar_feeds: CalendarFeedTable
  oath_renewals: OathRenewalTable
  reminder_settings: ReminderSettingsTable
  push_subscriptions: PushSubscriptionTable
  reminders_sent: ReminderSentTable
  party_groups: PartyGroupTable
  membership_events: MembershipEventTable
  activation_codes: ActivationCodeTable
  audit_log: AuditLogTable
  meetings: MeetingTable
  attendance: AttendanceTable
  makeups: MakeupTable
  households: HouseholdTable
  visits: VisitTable
  followups: FollowupTable
  photos: PhotoTable
  review_cycles: ReviewCycleTable
  review_papers: ReviewPaperTable
  review_grades: ReviewGradeTable
  review_voters: ReviewVotersTable
  review_counts: ReviewCountsTable
  review_paper_tallies: ReviewPaperTallyTable
  attempt_counters: AttemptCounterTable
  attempt_failures: AttemptFailureTable
}
