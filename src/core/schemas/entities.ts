import * as v from 'valibot'
import { STUDY_KINDS } from '../domain/study-kinds.ts'
import { IsoDate, Uuid } from './common.ts'
import { ROLES } from '../domain/roles.ts'

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
