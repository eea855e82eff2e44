import type { Generated } from 'kysely'
import type { MemberStatus, Role } from '../../core/domain/roles.ts'
import type { StudyKind } from '../../core/domain/study-kinds.ts'
import type { MeetingType, TalkKind } from '../../core/domain/meetings.ts'
import type { ReminderKind } from '../../core/domain/reminders.ts'
import type { Channel } from '../../core/domain/reminder-channels.ts'
import type { MembershipEventKind } from '../../core/schemas/people.ts'
import type { Attendance, OutsideTrainingKind } from '../../core/schemas/entities.ts'
import type { DuesCategory, DuesKind, DuesMethod } from '../../core/domain/dues-rules.ts'

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
  /** 1: the demo organisation (its administrators are not required to enrol two-factor login). */
  demo: Generated<number>
  /** JSON TrainingSettings (学时); null: the defaults. */
  training: string | null
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
  /** The branch member designated 收缴员 (collects and records the branch's 党费). */
  dues_collector_id: string | null
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
  /** The person's 企业微信 / 政务微信 user id, for reminders (set by an administrator or found by phone). */
  wecom_userid: string | null
  /** The enrolled TOTP secret, encrypted (lib/two-factor.ts); never sent back once enrolled. */
  totp_secret: string | null
  /** A secret being enrolled (encrypted), until its first code confirms it. */
  totp_pending: string | null
  totp_enabled_at: string | null
  /** The last TOTP time step accepted: a code is accepted once. */
  totp_last_step: Generated<number>
  /** 1: the password in use breaks the policy (seen at the last login); the app asks for a new one. */
  password_weak: Generated<number>
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
  /** The session's last administrator action or sign-in (the administrators' idle timeout). */
  elevated_at: string | null
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
  /** JSON list of channels in order (core/domain/reminder-channels.ts); null: the organ's default. */
  channels: string | null
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
  /** The channel that delivered it (null before channels existed, or while not delivered). */
  channel: Channel | null
}
/** A channel that failed to deliver a reminder (server only): one row per reminder and channel. */
export interface ReminderFailureTable {
  user_id: string
  org_id: string
  kind: ReminderKind
  key: string
  channel: Channel
  /** In Chinese, for the administrator; never a secret or a phone number. */
  reason: string
  attempts: number
  first_at: string
  last_at: string
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
  talk_kind: TalkKind | null
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
  /** 告知: the China date the household was told, and by whom (null: not told). */
  informed_on: string | null
  informed_by: string | null
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
export interface RectificationTable {
  id: string
  org_id: string
  branch_id: string
  year: number
  text: string
  owner_id: string
  due_on: string
  closed_at: string | null
  closed_by: string | null
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
  owner_table: 'visits' | 'meetings' | 'outside_trainings'
  owner_id: string
  uploader_id: string
  mime: string
  total: number
  received: number
  complete: number
  created_at: string
}

/** A member's training flags (学时): 乡科级及以下干部, 年老体弱、患有重病. Set by the secretary or an administrator. */
export interface TrainingProfileTable {
  user_id: string
  org_id: string
  cadre: number
  exempt: number
  updated_by: string
  updated_at: string
}
/** 其他培训 (synced): outside training with its certificate photos, confirmed by the branch's secretary. */
export interface OutsideTrainingTable {
  id: string
  org_id: string
  branch_id: string | null
  member_id: string
  kind: OutsideTrainingKind
  title: string
  organiser: string
  start_on: string
  end_on: string
  minutes: number
  /** JSON array of photo ids. */
  photo_ids: string
  notes: string
  confirmed_by: string | null
  confirmed_at: string | null
  created_at: string
  updated_at: string
  deleted: number
  seq: number
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

/** One-time recovery codes of two-factor login (hashed). */
export interface RecoveryCodeTable {
  user_id: string
  code_hash: string
  created_at: string
  used_at: string | null
}
/** A password accepted, the second factor still to come (the token's hash; a few minutes). */
export interface LoginChallengeTable {
  token_hash: string
  user_id: string
  expires_at: string
  user_agent: string
}
/** 投诉建议: the author is always stored; who may learn it is the table module's read scope. */
export interface FeedbackTable {
  id: string
  org_id: string
  branch_id: string | null
  author_id: string
  category: 'complaint' | 'suggestion'
  text: string
  anonymous: number
  answer: string
  answered_by: string | null
  answered_at: string | null
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
export interface DuesProfileTable {
  /** The member's id: one declaration per member. */
  id: string
  org_id: string
  /** The member's branch (follows the member when they move). */
  branch_id: string | null
  member_id: string
  category: DuesCategory
  /** 分; null for the fixed-sum categories. */
  base_fen: number | null
  from_month: string
  checked_on: string
  declared_by: string
  updated_at: string
  seq: number
}
export interface DuesPaymentTable {
  id: string
  org_id: string
  /** The branch it was paid to (stays there if the member moves). */
  branch_id: string | null
  member_id: string
  kind: DuesKind
  /** JSON list of 'YYYY-MM'. */
  months: string
  amount_fen: number
  method: DuesMethod
  category: DuesCategory | null
  base_fen: number | null
  monthly_fen: number | null
  collector_id: string
  received_on: string
  receipt_no: string
  notes: string
  created_at: string
  updated_at: string
  deleted: number
  seq: number
}
/** The privacy notice accepted (kind 'notice', its version) and separate consents given or withdrawn: append-only. */
export interface ConsentEventTable {
  id: string
  org_id: string
  user_id: string
  kind: string
  version: number
  granted: number
  at: string
}

/** One row per member-month paid: the primary key makes a second receipt for the month impossible. */
export interface DuesPaidMonthTable {
  member_id: string
  month: string
  payment_id: string
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
  reminder_failures: ReminderFailureTable
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
  rectifications: RectificationTable
  photos: PhotoTable
  review_cycles: ReviewCycleTable
  review_papers: ReviewPaperTable
  review_grades: ReviewGradeTable
  review_voters: ReviewVotersTable
  review_counts: ReviewCountsTable
  review_paper_tallies: ReviewPaperTallyTable
  attempt_counters: AttemptCounterTable
  attempt_failures: AttemptFailureTable
  recovery_codes: RecoveryCodeTable
  login_challenges: LoginChallengeTable
  feedback: FeedbackTable
  consent_events: ConsentEventTable
  dues_profiles: DuesProfileTable
  dues_payments: DuesPaymentTable
  dues_paid_months: DuesPaidMonthTable
  training_profiles: TrainingProfileTable
  outside_trainings: OutsideTrainingTable
}
