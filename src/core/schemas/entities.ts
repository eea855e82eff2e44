import * as v from 'valibot'
import { STUDY_KINDS } from '../domain/study-kinds.ts'
import { IsoDate, Uuid } from './common.ts'
import { ROLES } from '../domain/roles.ts'
import { MEETING_TYPES } from '../domain/meetings.ts'

/**
 * Entities as they travel on the wire and live in the client's IndexedDB.
 * One definition each; the server maps its SQL rows to these shapes.
 */

const Timestamp = v.pipe(v.string(), v.isoTimestamp())

export const Branch = v.object({
  id: Uuid,
  orgId: Uuid,
  name: v.string(),
  archived: v.boolean(),
})
export type Branch = v.InferOutput<typeof Branch>

/** The member's own writable fields: 入党日期 and 转正日期 (either may be unknown). */
export const partyDateFields = {
  joinedPartyOn: v.nullable(IsoDate),
  fullMemberOn: v.nullable(IsoDate),
}

export const UserProfile = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  name: v.string(),
  role: v.picklist(ROLES),
  /** Left the organisation: the row stays, anonymised, so ledgers still count. */
  removed: v.optional(v.boolean(), false),
  /** Sent only to the member, their branch's secretaries and administrators; null otherwise. */
  ...partyDateFields,
})
export type UserProfile = v.InferOutput<typeof UserProfile>

/** Fields of a study record that a member writes. */
export const studyRecordFields = {
  kind: v.picklist(STUDY_KINDS, '请选择学习类型'),
  title: v.pipe(v.string('标题应为文本'), v.trim(), v.minLength(1, '请填写学习内容'), v.maxLength(200, '标题最多 200 字')),
  date: IsoDate,
  minutes: v.pipe(
    v.number('时长应为数字'),
    v.integer('时长应为整数分钟'),
    v.minValue(1, '时长至少 1 分钟'),
    v.maxValue(24 * 60, '时长不能超过 24 小时'),
  ),
  notes: v.pipe(v.string('心得应为文本'), v.maxLength(20000, '心得最多 20000 字')),
  sourceUrl: v.pipe(
    v.string('链接应为文本'),
    v.maxLength(2000, '链接过长'),
    v.check((s) => s === '' || /^https?:\/\/\S+$/i.test(s), '链接应以 http:// 或 https:// 开头'),
  ),
  createdAt: Timestamp,
}

export const StudyRecordInput = v.object(studyRecordFields)
export type StudyRecordInput = v.InferOutput<typeof StudyRecordInput>

export const StudyRecord = v.object({
  id: Uuid,
  ownerId: Uuid,
  branchId: v.nullable(Uuid),
  orgId: Uuid,
  ...studyRecordFields,
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type StudyRecord = v.InferOutput<typeof StudyRecord>

/** The member re-took the oath (重温入党誓词), e.g. on their political birthday or at the branch's ceremony. */
export const oathRenewalFields = {
  date: IsoDate,
  createdAt: Timestamp,
}

export const OathRenewal = v.object({
  id: Uuid,
  ownerId: Uuid,
  branchId: v.nullable(Uuid),
  orgId: Uuid,
  ...oathRenewalFields,
  deleted: v.boolean(),
})
export type OathRenewal = v.InferOutput<typeof OathRenewal>

const ClockTime = v.pipe(v.string('时间应为文本'), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM'))

/** A person's reminder settings (one row per person, id = their user id). */
export const reminderSettingsFields = {
  birthday: v.boolean(),
  branchWeekAhead: v.boolean(),
  meetingTomorrow: v.boolean(),
  studyGap: v.boolean(),
  unsynced: v.boolean(),
  quietStart: ClockTime,
  quietEnd: ClockTime,
}

export const ReminderSettings = v.object({
  id: Uuid,
  orgId: Uuid,
  ...reminderSettingsFields,
  updatedAt: Timestamp,
})
export type ReminderSettings = v.InferOutput<typeof ReminderSettings>

const Text = (max: number, what: string) => v.pipe(v.string(`${what}应为文本`), v.maxLength(max, `${what}最多 ${max} 字`))

/** Fields of a meeting that those who manage it write. */
export const meetingFields = {
  /** null: held by the organ's leadership (理论学习中心组, 民主生活会), managed by administrators. */
  branchId: v.nullable(Uuid),
  type: v.picklist(MEETING_TYPES, '请选择会议类型'),
  topic: v.pipe(v.string('主题应为文本'), v.trim(), v.minLength(1, '请填写会议主题'), v.maxLength(200, '主题最多 200 字')),
  startsAt: Timestamp,
  durationMinutes: v.pipe(v.number(), v.integer(), v.minValue(5, '时长至少 5 分钟'), v.maxValue(24 * 60, '时长不能超过 24 小时')),
  place: Text(100, '地点'),
  organiserId: Uuid,
  speaker: Text(40, '主讲人'),
  expectedIds: v.pipe(v.array(Uuid), v.maxLength(1000, '应到人数过多')),
  agenda: Text(5000, '议程'),
  minutes: Text(20000, '会议记录'),
  /** 谈心谈话: the other person of the talk. */
  talkWithId: v.nullable(Uuid),
  /** Photos of the meeting (uploaded separately, like a visit's). */
  photoIds: v.optional(v.pipe(v.array(Uuid), v.maxLength(30, '照片过多')), []),
  createdAt: Timestamp,
}
/** Written once, when the meeting is created on the organiser's phone. */
export const meetingKeyField = { signKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, '签到密钥格式不正确')) }

export const Meeting = v.object({
  id: Uuid,
  orgId: Uuid,
  ...meetingFields,
  /** Only for those who manage the meeting (they show the sign-in code); null for everyone else. */
  signKey: v.nullable(v.string()),
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type Meeting = v.InferOutput<typeof Meeting>

export const ATTENDANCE_STATUSES = ['present', 'leave', 'absent'] as const
export const LEAVE_STATES = ['requested', 'approved', 'declined'] as const

/** The one row of a member at a meeting (id = attendanceId(meetingId, memberId)). */
export const Attendance = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  meetingId: Uuid,
  memberId: Uuid,
  status: v.nullable(v.picklist(ATTENDANCE_STATUSES)),
  /** 'scan': signed in with the meeting's code; 'manual': marked by the organiser. */
  method: v.nullable(v.picklist(['scan', 'manual'])),
  signedAt: v.nullable(Timestamp),
  leaveReason: v.string(),
  leaveState: v.nullable(v.picklist(LEAVE_STATES)),
  markedBy: v.nullable(Uuid),
  note: v.string(),
  updatedAt: Timestamp,
})
export type Attendance = v.InferOutput<typeof Attendance>

/**
 * What an attendance write may carry. A member: `scan` (the code's window and token, and when it
 * was scanned) or `leaveReason`; whoever manages the meeting: `status` (+ `note`) or `leaveState`.
 * `meetingId` and `memberId` always; the other row fields are the writer's expectation only.
 */
export const attendanceWriteFields = {
  meetingId: Uuid,
  memberId: Uuid,
  scan: v.object({ window: v.pipe(v.number(), v.integer(), v.minValue(0)), token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/, '签到码格式不正确')), scannedAt: Timestamp }),
  leaveReason: v.pipe(v.string(), v.trim(), v.minLength(1, '请填写请假事由'), v.maxLength(500, '事由最多 500 字')),
  status: v.picklist(ATTENDANCE_STATUSES, '出勤状态不正确'),
  note: Text(200, '说明'),
  leaveState: v.picklist(['approved', 'declined'], '审批结果不正确'),
}

/** 补学: make-up study for a meeting missed (absent or on leave); the secretary confirms it. */
export const makeupFields = {
  meetingId: Uuid,
  content: v.pipe(v.string('内容应为文本'), v.trim(), v.minLength(1, '请填写补学内容'), v.maxLength(500, '内容最多 500 字')),
  date: IsoDate,
  notes: Text(5000, '心得'),
  createdAt: Timestamp,
}
export const Makeup = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  memberId: Uuid,
  ...makeupFields,
  confirmedBy: v.nullable(Uuid),
  confirmedAt: v.nullable(Timestamp),
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type Makeup = v.InferOutput<typeof Makeup>

const IdList = (max: number, what: string) => v.pipe(v.array(Uuid), v.maxLength(max, `${what}过多`))

/** 双联系: a household in difficulty linked to one or more members. Personal data: seen only by them, their secretary and administrators. */
export const householdFields = {
  branchId: Uuid,
  name: v.pipe(v.string('户主应为文本'), v.trim(), v.minLength(1, '请填写户主姓名'), v.maxLength(40, '户主姓名最多 40 字')),
  address: Text(200, '地址'),
  village: Text(60, '村（社区）'),
  contact: Text(60, '联系方式'),
  situation: Text(2000, '家庭情况'),
  needs: Text(2000, '困难与需求'),
  memberIds: IdList(20, '联系党员'),
  createdAt: Timestamp,
}
export const Household = v.object({ id: Uuid, orgId: Uuid, ...householdFields, updatedAt: Timestamp, deleted: v.boolean() })
export type Household = v.InferOutput<typeof Household>

/** 一线走访: one visit, recorded once on the spot by any of those who went. */
export const visitFields = {
  branchId: v.nullable(Uuid),
  householdId: v.nullable(Uuid),
  /** For a visit without a registered household: where (村、社区、企业…). */
  place: Text(100, '走访地点'),
  visitedAt: Timestamp,
  memberIds: v.pipe(IdList(20, '走访人员'), v.minLength(1, '请至少选择一名走访人员')),
  findings: Text(5000, '走访情况'),
  problems: Text(5000, '反映的问题'),
  /** "lat,lng", only when the member tapped to add it. */
  location: v.nullable(v.pipe(v.string(), v.regex(/^-?\d{1,2}\.\d{1,7},-?\d{1,3}\.\d{1,7}$/, '位置格式不正确'))),
  photoIds: IdList(30, '照片'),
  createdAt: Timestamp,
}
export const Visit = v.object({ id: Uuid, orgId: Uuid, ...visitFields, createdBy: Uuid, updatedAt: Timestamp, deleted: v.boolean() })
export type Visit = v.InferOutput<typeof Visit>

/** An action promised during a visit: an owner and a due date, closed with a note. */
export const followupFields = {
  visitId: Uuid,
  text: v.pipe(v.string('内容应为文本'), v.trim(), v.minLength(1, '请填写承诺事项'), v.maxLength(500, '事项最多 500 字')),
  ownerId: Uuid,
  dueOn: IsoDate,
  createdAt: Timestamp,
}
export const Followup = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  householdId: v.nullable(Uuid),
  ...followupFields,
  closedAt: v.nullable(Timestamp),
  closeNote: v.string(),
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type Followup = v.InferOutput<typeof Followup>
export const followupCloseFields = { closeNote: v.pipe(v.string(), v.trim(), v.minLength(1, '请填写办理结果'), v.maxLength(1000, '办理结果最多 1000 字')) }
