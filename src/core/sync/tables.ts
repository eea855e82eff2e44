import type {
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
import type { ReviewCycle, ReviewGrade, ReviewPaper } from '../schemas/review.ts'

/** Every table the client keeps a synced copy of; pull delivers rows of these. */
export const SYNCED_TABLES = [
  'branches',
  'users',
  'study_records',
  'oath_renewals',
  'reminder_settings',
  'meetings',
  'attendance',
  'makeups',
  'households',
  'visits',
  'followups',
  'feedback',
  'dues_profiles',
  'dues_payments',
  'outside_trainings',
  'rectifications',
  'review_cycles',
  'review_papers',
  'review_grades',
] as const
export type SyncedTable = (typeof SYNCED_TABLES)[number]

export interface SyncedRows {
  branches: Branch
  users: UserProfile
  study_records: StudyRecord
  oath_renewals: OathRenewal
  reminder_settings: ReminderSettings
  meetings: Meeting
  attendance: Attendance
  makeups: Makeup
  households: Household
  visits: Visit
  followups: Followup
  feedback: Feedback
  dues_profiles: DuesProfile
  dues_payments: DuesPayment
  outside_trainings: OutsideTraining
  rectifications: Rectification
  review_cycles: ReviewCycle
  review_papers: ReviewPaper
  review_grades: ReviewGrade
}

/**
 * Tables a client may write through push, with the free-text fields whose concurrent edits are
 * kept side by side instead of one overwriting the other. The fields' schemas are in
 * schemas/entities.ts (kept apart so the app shell does not load the validators).
 */
export const WRITABLE = {
  study_records: { mergeText: ['notes'] as const },
  /** Only the member's own row, only 入党日期 and 转正日期. */
  users: { mergeText: [] as const },
  /** A member's record of re-taking the oath (重温入党誓词); created or withdrawn, never edited. */
  oath_renewals: { mergeText: [] as const },
  /** The person's own reminder settings; each field is merged on its own (last writer wins). */
  reminder_settings: { mergeText: [] as const },
  /** Meetings, by those who manage them; the minutes (会议记录) merge like 心得. */
  meetings: { mergeText: ['minutes', 'agenda'] as const },
  /** Sign-in (scan), leave requests, manual marks and leave decisions: see server/sync/tables/attendance.ts. */
  attendance: { mergeText: [] as const },
  /** 补学 by the member; confirmed by the secretary. */
  makeups: { mergeText: ['notes'] as const },
  /** 双联系 households, by the branch's secretary (and administrators). */
  households: { mergeText: ['situation', 'needs'] as const },
  /** 一线走访, by any of those who went; findings and problems merge like 心得. */
  visits: { mergeText: ['findings', 'problems'] as const },
  /** Promised actions: created with the visit, closed by their owner. */
  followups: { mergeText: [] as const },
  /** 投诉建议: written by a member, withdrawn before it is answered, answered by an administrator. */
  feedback: { mergeText: [] as const },
  /** 党费 declarations: by the member, their branch's 收缴员 or secretary, administrators (last writer wins). */
  dues_profiles: { mergeText: [] as const },
  /** 党费 receipts: recorded (or voided) by the branch's 收缴员 or secretary; never edited. */
  dues_payments: { mergeText: [] as const },
  /** 其他培训 by the member (with the certificate photo); confirmed by the branch's secretary. */
  outside_trainings: { mergeText: ['notes'] as const },
  /** 整改清单, by the branch's secretary; each item closed (with a note) by its owner or the secretary. */
  rectifications: { mergeText: [] as const },
  /** The year's review cycle, by the branch's secretary (docs/review-ballots.md). */
  review_cycles: { mergeText: ['prompt'] as const },
  /** A member's 对照检查 / 书面发言, by its author alone; two phones' edits merge like 心得. */
  review_papers: { mergeText: ['text'] as const },
  /** The committee's 评定 and feedback. */
  review_grades: { mergeText: ['feedback'] as const },
} as const

export type WritableTable = keyof typeof WRITABLE
export const WRITABLE_TABLES = Object.keys(WRITABLE) as WritableTable[]

/** Marker placed between two concurrent versions of the same free text. */
export const MERGE_SEPARATOR = '\n\n—— 以下为另一台设备同时修改的内容 ——\n\n'

/**
 * Merge one free-text field edited on two devices. `base` is what the writer saw,
 * `current` what the server holds, `incoming` what the writer wants.
 * Deterministic: applied in server order, every replica gets the same text.
 */
export function mergeText(base: string | undefined, current: string, incoming: string): string {
  if (base === undefined || base === current || incoming === current) return incoming
  if (incoming === base) return current
  return `${current}${MERGE_SEPARATOR}${incoming}`
}
