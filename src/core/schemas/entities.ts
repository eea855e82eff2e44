import * as v from 'valibot'
import { STUDY_KINDS } from '../domain/study-kinds.ts'
import { IsoDate, titled, Uuid } from './common.ts'
import { ROLES } from '../domain/roles.ts'
import { MEETING_TYPES, TALK_KINDS } from '../domain/meetings.ts'
import { CHANNELS } from '../domain/reminder-channels.ts'
import { DUES_CATEGORIES, DUES_KINDS, DUES_METHODS, MONTH_PATTERN } from '../domain/dues-rules.ts'

/**
 * Entities as they travel on the wire and live in the client's IndexedDB.
 * One definition each; the server maps its SQL rows to these shapes.
 */

const Timestamp = v.pipe(v.string('时间应为文本'), v.isoTimestamp('时间格式不正确'))

export const Branch = v.object({
  id: Uuid,
  orgId: Uuid,
  name: v.string(),
  archived: v.boolean(),
  /** China date the branch was set up: what it owes is judged only from then (null: with its organisation). */
  startedOn: v.optional(v.nullable(IsoDate)),
  /** Its 党小组 (not archived), for 党小组会 and their expected members. */
  groups: v.optional(v.array(v.object({ id: Uuid, name: v.string() }))),
  /** The member designated 收缴员 (collects and records the branch's 党费); null: none yet. */
  duesCollectorId: v.optional(v.nullable(Uuid)),
})
export type Branch = v.InferOutput<typeof Branch>

/** The member's own writable fields: 入党日期 and 转正日期 (either may be unknown). */
export const partyDateFields = {
  joinedPartyOn: titled('入党日期', v.nullable(IsoDate)),
  fullMemberOn: titled('转正日期', v.nullable(IsoDate)),
}

export const UserProfile = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  name: v.string(),
  role: v.picklist(ROLES),
  /** Left the organisation: the row stays, anonymised, so ledgers still count. */
  removed: v.optional(v.boolean(), false),
  /** Their 党小组 in the branch, if any: expected at its 党小组会. */
  groupId: v.optional(v.nullable(Uuid)),
  /** On the branch committee (支部委员): expected at 支部委员会. */
  committee: v.optional(v.boolean()),
  /** Sent only to the member, their branch's secretaries and administrators; null otherwise. */
  ...partyDateFields,
})
export type UserProfile = v.InferOutput<typeof UserProfile>

/** Fields of a study record that a member writes. */
export const studyRecordFields = {
  kind: titled('学习类型', v.picklist(STUDY_KINDS, '请选择学习类型')),
  title: v.pipe(
    v.string('学习内容应为文本'),
    v.trim(),
    v.minLength(1, '请填写学习内容'),
    v.maxLength(200, '学习内容最多 200 字'),
    v.title('学习内容'),
  ),
  date: titled('日期', IsoDate),
  minutes: v.pipe(
    v.number('时长应为数字'),
    v.integer('时长应为整数分钟'),
    v.minValue(1, '时长至少 1 分钟'),
    v.maxValue(24 * 60, '时长不能超过 24 小时'),
    v.title('时长'),
  ),
  notes: v.pipe(v.string('心得体会应为文本'), v.maxLength(20000, '心得体会最多 20000 字'), v.title('心得体会')),
  sourceUrl: v.pipe(
    v.string('来源链接应为文本'),
    v.maxLength(2000, '来源链接过长'),
    v.check((s) => s === '' || /^https?:\/\/\S+$/i.test(s), '来源链接应以 http:// 或 https:// 开头'),
    v.title('来源链接'),
  ),
  createdAt: titled('创建时间', Timestamp),
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
  date: titled('重温日期', IsoDate),
  createdAt: titled('创建时间', Timestamp),
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
  birthday: titled('政治生日提醒', v.boolean()),
  branchWeekAhead: titled('下周政治生日名单', v.boolean()),
  meetingTomorrow: titled('会议提醒', v.boolean()),
  studyGap: titled('学习提醒', v.boolean()),
  unsynced: titled('未同步提醒', v.boolean()),
  quietStart: titled('免打扰开始时间', ClockTime),
  quietEnd: titled('免打扰结束时间', ClockTime),
  /** The channels to use, in order (null: every channel the organ offers, in the default order). */
  channels: titled(
    '提醒渠道',
    v.nullable(
      v.pipe(
        v.array(v.picklist(CHANNELS, '未知的提醒渠道')),
        v.maxLength(CHANNELS.length, '提醒渠道过多'),
        v.check((list) => new Set(list).size === list.length, '提醒渠道不能重复'),
      ),
    ),
  ),
}

export const ReminderSettings = v.object({
  id: Uuid,
  orgId: Uuid,
  ...reminderSettingsFields,
  // Absent from rows synced before schema version 6.
  channels: v.optional(reminderSettingsFields.channels),
  updatedAt: Timestamp,
})
export type ReminderSettings = v.InferOutput<typeof ReminderSettings>

const Text = (max: number, what: string) => v.pipe(v.string(`${what}应为文本`), v.maxLength(max, `${what}最多 ${max} 字`), v.title(what))

/** Fields of a meeting that those who manage it write. */
export const meetingFields = {
  /** null: held by the organ's leadership (理论学习中心组, 民主生活会), managed by administrators. */
  branchId: titled('党支部', v.nullable(Uuid)),
  type: titled('会议类型', v.picklist(MEETING_TYPES, '请选择会议类型')),
  topic: v.pipe(
    v.string('会议主题应为文本'),
    v.trim(),
    v.minLength(1, '请填写会议主题'),
    v.maxLength(200, '会议主题最多 200 字'),
    v.title('会议主题'),
  ),
  startsAt: titled('开始时间', Timestamp),
  durationMinutes: v.pipe(
    v.number('时长应为数字'),
    v.integer('时长应为整数分钟'),
    v.minValue(5, '时长至少 5 分钟'),
    v.maxValue(24 * 60, '时长不能超过 24 小时'),
    v.title('时长'),
  ),
  place: Text(100, '地点'),
  organiserId: titled('组织者', Uuid),
  speaker: Text(40, '主讲人'),
  expectedIds: v.pipe(v.array(Uuid), v.maxLength(1000, '应到人员过多'), v.title('应到人员')),
  agenda: Text(5000, '议程'),
  minutes: Text(20000, '会议记录'),
  /** 谈心谈话: the other person of the talk. */
  talkWithId: titled('谈话对象', v.nullable(Uuid)),
  /** 谈心谈话: why it was held (谈心, 提醒谈话, 廉政谈话, 任前谈话); null for every other type and for talks recorded before kinds. */
  talkKind: titled('谈话类别', v.optional(v.nullable(v.picklist(TALK_KINDS, '请选择谈话类别')), null)),
  /** Photos of the meeting (uploaded separately, like a visit's). */
  photoIds: titled('会议照片', v.optional(v.pipe(v.array(Uuid), v.maxLength(30, '会议照片过多')), [])),
  createdAt: titled('创建时间', Timestamp),
}
/** Written once, when the meeting is created on the organiser's phone. */
export const meetingKeyField = {
  signKey: v.pipe(v.string('签到密钥应为文本'), v.regex(/^[A-Za-z0-9_-]{43}$/, '签到密钥格式不正确'), v.title('签到密钥')),
}

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
  meetingId: titled('会议', Uuid),
  memberId: titled('党员', Uuid),
  scan: titled(
    '签到码',
    v.object({
      window: v.pipe(v.number(), v.integer(), v.minValue(0), v.title('签到码时段')),
      token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/, '签到码格式不正确'), v.title('签到码')),
      scannedAt: titled('扫码时间', Timestamp),
    }),
  ),
  leaveReason: v.pipe(
    v.string('请假事由应为文本'),
    v.trim(),
    v.minLength(1, '请填写请假事由'),
    v.maxLength(500, '请假事由最多 500 字'),
    v.title('请假事由'),
  ),
  status: titled('出勤状态', v.picklist(ATTENDANCE_STATUSES, '出勤状态不正确')),
  note: Text(200, '说明'),
  leaveState: titled('审批结果', v.picklist(['approved', 'declined'], '审批结果不正确')),
}

/** 补学: make-up study for a meeting missed (absent or on leave); the secretary confirms it. */
export const makeupFields = {
  meetingId: titled('会议', Uuid),
  content: v.pipe(
    v.string('补学内容应为文本'),
    v.trim(),
    v.minLength(1, '请填写补学内容'),
    v.maxLength(500, '补学内容最多 500 字'),
    v.title('补学内容'),
  ),
  date: titled('补学日期', IsoDate),
  notes: Text(5000, '学习心得'),
  createdAt: titled('创建时间', Timestamp),
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

const IdList = (max: number, what: string) => v.pipe(v.array(Uuid), v.maxLength(max, `${what}过多`), v.title(what))

/** 双联系: a household in difficulty linked to one or more members. Personal data: seen only by them, their secretary and administrators. */
export const householdFields = {
  branchId: titled('所在支部', Uuid),
  name: v.pipe(
    v.string('户主应为文本'),
    v.trim(),
    v.minLength(1, '请填写户主姓名'),
    v.maxLength(40, '户主姓名最多 40 字'),
    v.title('户主'),
  ),
  address: Text(200, '地址'),
  village: Text(60, '村（社区）'),
  contact: Text(60, '联系方式'),
  situation: Text(2000, '家庭情况'),
  needs: Text(2000, '困难与需求'),
  memberIds: IdList(20, '联系党员'),
  createdAt: titled('创建时间', Timestamp),
  /**
   * 告知 (PIPL): the China date the household was told what is recorded about it and why, and the
   * person who told it; null when not (yet) told. Optional on the wire: apps before schema 5 never send it.
   */
  informedOn: v.optional(titled('告知日期', v.nullable(IsoDate))),
  informedBy: v.optional(titled('告知人', v.nullable(Uuid))),
}
export const Household = v.object({ id: Uuid, orgId: Uuid, ...householdFields, updatedAt: Timestamp, deleted: v.boolean() })
export type Household = v.InferOutput<typeof Household>

/** 一线走访: one visit, recorded once on the spot by any of those who went. */
export const visitFields = {
  branchId: titled('党支部', v.nullable(Uuid)),
  householdId: titled('联系户', v.nullable(Uuid)),
  /** For a visit without a registered household: where (村、社区、企业…). */
  place: Text(100, '走访地点'),
  visitedAt: titled('走访时间', Timestamp),
  memberIds: v.pipe(IdList(20, '走访人员'), v.minLength(1, '请至少选择一名走访人员')),
  findings: Text(5000, '走访情况'),
  problems: Text(5000, '反映的问题'),
  /** "lat,lng", only when the member tapped to add it. */
  location: titled('位置', v.nullable(v.pipe(v.string(), v.regex(/^-?\d{1,2}\.\d{1,7},-?\d{1,3}\.\d{1,7}$/, '位置格式不正确')))),
  photoIds: IdList(30, '照片'),
  createdAt: titled('创建时间', Timestamp),
}
export const Visit = v.object({ id: Uuid, orgId: Uuid, ...visitFields, createdBy: Uuid, updatedAt: Timestamp, deleted: v.boolean() })
export type Visit = v.InferOutput<typeof Visit>

/** An action promised during a visit: an owner and a due date, closed with a note. */
export const followupFields = {
  visitId: titled('走访记录', Uuid),
  text: v.pipe(
    v.string('承诺事项应为文本'),
    v.trim(),
    v.minLength(1, '请填写承诺事项'),
    v.maxLength(500, '承诺事项最多 500 字'),
    v.title('承诺事项'),
  ),
  ownerId: titled('责任人', Uuid),
  dueOn: titled('办理期限', IsoDate),
  createdAt: titled('创建时间', Timestamp),
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
export const followupCloseFields = {
  closeNote: v.pipe(
    v.string('办理结果应为文本'),
    v.trim(),
    v.minLength(1, '请填写办理结果'),
    v.maxLength(1000, '办理结果最多 1000 字'),
    v.title('办理结果'),
  ),
}

/** 投诉建议: what a member may send, a complaint (投诉) or a suggestion (建议). */
export const FEEDBACK_CATEGORIES = ['complaint', 'suggestion'] as const
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number]
export const FEEDBACK_CATEGORY_LABELS: Record<FeedbackCategory, string> = { complaint: '投诉', suggestion: '建议' }

/** A member's 投诉建议 as they write it (offline); the author and branch are the server's, from the session. */
export const feedbackFields = {
  category: titled('类别', v.picklist(FEEDBACK_CATEGORIES, '请选择投诉或建议')),
  text: v.pipe(v.string('内容应为文本'), v.trim(), v.minLength(1, '请填写内容'), v.maxLength(2000, '内容最多 2000 字'), v.title('内容')),
  /** 匿名: the branch never learns who wrote it; administrators (who answer it) do. */
  anonymous: titled('匿名', v.boolean('匿名应为是或否')),
  createdAt: titled('创建时间', Timestamp),
}
/** The administrator's answer (答复). */
export const feedbackAnswerFields = {
  answer: v.pipe(v.string('答复应为文本'), v.trim(), v.minLength(1, '请填写答复'), v.maxLength(2000, '答复最多 2000 字'), v.title('答复')),
}
export const Feedback = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  /** The author: sent only to the author and administrators (null for anyone else). */
  authorId: v.nullable(Uuid),
  ...feedbackFields,
  answer: v.string(),
  answeredBy: v.nullable(Uuid),
  answeredAt: v.nullable(Timestamp),
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type Feedback = v.InferOutput<typeof Feedback>
/** A month as 'YYYY-MM'. */
export const IsoMonth = v.pipe(v.string('月份应为文本'), v.regex(MONTH_PATTERN, '月份格式应为 YYYY-MM'))
const Fen = (what: string, min: number) =>
  v.pipe(
    v.number(`${what}应为数字`),
    v.integer(`${what}应精确到分`),
    v.minValue(min, `${what}不能小于 ${min / 100} 元`),
    v.maxValue(100_000_000, `${what}不能超过 100 万元`),
    v.title(what),
  )

/**
 * 党费 declaration: the member's category, base (税后固定月收入 or 基本离退休费, in 分; null for the
 * fixed-sum categories), the month they owe from, and when the base was last checked. Personal
 * financial data: seen only by the member, their branch's 收缴员 and secretary, and administrators.
 * One row per member (id = the member's id).
 */
export const duesProfileFields = {
  memberId: titled('党员', Uuid),
  category: titled('党费类别', v.picklist(DUES_CATEGORIES, '请选择党费类别')),
  baseFen: titled('党费基数', v.nullable(Fen('党费基数', 0))),
  fromMonth: titled('起交月份', IsoMonth),
  checkedOn: titled('核定日期', IsoDate),
}
export const DuesProfile = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  ...duesProfileFields,
  declaredBy: Uuid,
  updatedAt: Timestamp,
})
export type DuesProfile = v.InferOutput<typeof DuesProfile>

/**
 * A 党费 receipt, recorded by the branch's 收缴员 (or its secretary) when the member pays: always the
 * member's own money, in cash or by transfer (there is no "paid by the branch" and no payroll
 * deduction: 不得垫交或扣缴). Never edited; a mistaken one is voided (deleted) and recorded again.
 */
export const duesPaymentFields = {
  memberId: titled('党员', Uuid),
  kind: titled('交纳方式', v.picklist(DUES_KINDS, '请选择按月、按季、补交或特殊党费')),
  months: v.pipe(v.array(IsoMonth), v.maxLength(6, '一张收据最多 6 个月'), v.title('月份')),
  amountFen: titled('金额', Fen('金额', 1)),
  method: titled('收款方式', v.picklist(DUES_METHODS, '收款方式只能是现金或转账')),
  receivedOn: titled('收款日期', IsoDate),
  notes: Text(200, '备注'),
  createdAt: titled('创建时间', Timestamp),
}
export const DuesPayment = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  ...duesPaymentFields,
  /** What the monthly dues were computed on (null for 特殊党费). */
  category: v.nullable(v.picklist(DUES_CATEGORIES)),
  baseFen: v.nullable(v.number()),
  monthlyFen: v.nullable(v.number()),
  collectorId: Uuid,
  receiptNo: v.string(),
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type DuesPayment = v.InferOutput<typeof DuesPayment>
/** 其他培训: organised training outside the branch's meetings (党校轮训, an online course the organ assigned). */
export const OUTSIDE_TRAINING_KINDS = ['party_school', 'online', 'other'] as const
export type OutsideTrainingKind = (typeof OUTSIDE_TRAINING_KINDS)[number]
export const OUTSIDE_TRAINING_KIND_LABELS: Record<OutsideTrainingKind, string> = {
  party_school: '党校培训',
  online: '网络培训（组织安排）',
  other: '其他组织安排的培训',
}

/**
 * 其他培训 a member records for themselves, with the certificate photographed; the branch's
 * secretary confirms it (only then it counts as 学时). Seen by the member, the secretary and administrators.
 */
export const outsideTrainingFields = {
  kind: titled('培训类型', v.picklist(OUTSIDE_TRAINING_KINDS, '请选择培训类型')),
  title: v.pipe(
    v.string('培训名称应为文本'),
    v.trim(),
    v.minLength(1, '请填写培训名称'),
    v.maxLength(200, '培训名称最多 200 字'),
    v.title('培训名称'),
  ),
  organiser: Text(100, '举办单位'),
  startOn: titled('开始日期', IsoDate),
  endOn: titled('结束日期', IsoDate),
  minutes: v.pipe(
    v.number('培训时长应为数字'),
    v.integer('培训时长应为整数分钟'),
    v.minValue(1, '培训时长至少 1 分钟'),
    v.maxValue(200 * 60, '培训时长不能超过 200 小时'),
    v.title('培训时长'),
  ),
  photoIds: IdList(5, '证书照片'),
  notes: Text(2000, '备注'),
  createdAt: titled('创建时间', Timestamp),
}
export const OutsideTraining = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: v.nullable(Uuid),
  memberId: Uuid,
  ...outsideTrainingFields,
  confirmedBy: v.nullable(Uuid),
  confirmedAt: v.nullable(Timestamp),
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type OutsideTraining = v.InferOutput<typeof OutsideTraining>
/**
 * 整改清单: what the branch undertook to put right after its 组织生活会 and 民主评议, as owned, dated
 * items published to the whole branch and ticked off one by one (owner, due date, closed with a note,
 * like a visit's promised actions).
 */
export const rectificationFields = {
  branchId: titled('党支部', Uuid),
  /** The year whose review the item came from (整改 of 2026's 组织生活会 may run into 2027). */
  year: v.pipe(
    v.number('年度应为数字'),
    v.integer('年度应为整数'),
    v.minValue(2000, '年度不正确'),
    v.maxValue(2100, '年度不正确'),
    v.title('年度'),
  ),
  text: v.pipe(
    v.string('整改事项应为文本'),
    v.trim(),
    v.minLength(1, '请填写整改事项'),
    v.maxLength(500, '整改事项最多 500 字'),
    v.title('整改事项'),
  ),
  ownerId: titled('责任人', Uuid),
  dueOn: titled('整改时限', IsoDate),
  createdAt: titled('创建时间', Timestamp),
}
export const Rectification = v.object({
  id: Uuid,
  orgId: Uuid,
  ...rectificationFields,
  closedAt: v.nullable(Timestamp),
  /** Who closed it (销号): its owner or the branch's secretary. */
  closedBy: v.nullable(Uuid),
  closeNote: v.string(),
  updatedAt: Timestamp,
  deleted: v.boolean(),
})
export type Rectification = v.InferOutput<typeof Rectification>
