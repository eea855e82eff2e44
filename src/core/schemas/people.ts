import * as v from 'valibot'
import { IsoDate, Password, PersonName, Phone, titled, Uuid } from './common.ts'
import { normalizeActivationCode } from '../identifiers.ts'
import { MEMBER_STATUSES, ROLES, type MemberStatus, type Role } from '../domain/roles.ts'

/** Administration of the organisation: people, branches, groups, activation, import. Online only. */

const Note = v.pipe(v.string('备注应为文本'), v.maxLength(500, '备注最多 500 字'), v.title('备注'))
const OptionalDate = v.nullable(IsoDate)
const JoinedPartyOn = titled('入党日期', OptionalDate)
const FullMemberOn = titled('转正日期', OptionalDate)
const BranchId = titled('党支部', Uuid)
const GroupId = titled('党小组', v.nullable(Uuid))
const MemberStatus = titled('党员类别', v.picklist(MEMBER_STATUSES, '党员类别不正确'))
const Leadership = titled('领导班子成员', v.boolean())

export const PersonInput = v.object({
  name: PersonName,
  phone: Phone,
  branchId: titled('党支部', v.nullable(Uuid)),
  groupId: v.optional(GroupId, null),
  role: v.optional(titled('角色', v.picklist(ROLES, '角色不正确')), 'member'),
  status: v.optional(MemberStatus, 'full'),
  joinedPartyOn: v.optional(JoinedPartyOn, null),
  fullMemberOn: v.optional(FullMemberOn, null),
  note: v.optional(Note, ''),
  leadership: v.optional(Leadership, false),
  committee: v.optional(titled('支部委员', v.boolean()), false),
})
export type PersonInput = v.InferOutput<typeof PersonInput>

export const PersonPatch = v.partial(
  v.strictObject({
    name: PersonName,
    phone: Phone,
    groupId: GroupId,
    status: MemberStatus,
    joinedPartyOn: JoinedPartyOn,
    fullMemberOn: FullMemberOn,
    note: Note,
    leadership: Leadership,
    /** 支部委员: expected at 支部委员会 (set by the administrator or the branch's secretary). */
    committee: titled('支部委员', v.boolean()),
  }),
)
export type PersonPatch = v.InferOutput<typeof PersonPatch>

export const RoleInput = v.object({ role: titled('角色', v.picklist(ROLES, '角色不正确')) })

export const MOVE_KINDS = ['move', 'transfer_in'] as const
export const MoveInput = v.object({
  branchId: BranchId,
  date: titled('日期', IsoDate),
  kind: v.optional(titled('类型', v.picklist(MOVE_KINDS, '类型不正确')), 'move'),
  note: v.optional(Note, ''),
})

export const REMOVE_REASONS = ['transfer_out', 'left', 'deceased'] as const
export const REMOVE_REASON_LABELS: Record<(typeof REMOVE_REASONS)[number], string> = {
  transfer_out: '组织关系转出',
  left: '离开本单位',
  deceased: '去世',
}
export const RemoveInput = v.object({
  reason: titled('原因', v.picklist(REMOVE_REASONS, '请选择原因')),
  date: titled('日期', IsoDate),
  note: v.optional(Note, ''),
})

export const IdParams = v.object({ id: titled('编号', Uuid) })

export const BranchInput = v.object({
  name: v.pipe(v.string('名称应为文本'), v.trim(), v.minLength(2, '请填写名称'), v.maxLength(60, '名称最多 60 字'), v.title('名称')),
})
export const BranchPatch = v.partial(v.strictObject({ name: BranchInput.entries.name, archived: titled('撤销', v.boolean()) }))
export const GroupInput = v.object({ branchId: BranchId, name: BranchInput.entries.name })

/** Activation codes: 8 characters without look-alikes (no 0/O, 1/I/L). */
export const ACTIVATION_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const ActivationCode = v.pipe(
  v.string('激活码应为文本'),
  v.maxLength(40, '激活码为 8 位字母或数字'),
  v.transform(normalizeActivationCode),
  v.regex(/^[A-HJKMNP-Z2-9]{8}$/, '激活码为 8 位字母或数字'),
  v.title('激活码'),
)
export const ActivateRequest = v.object({ phone: Phone, code: ActivationCode, password: Password })
export type ActivateRequest = v.InferOutput<typeof ActivateRequest>

/** A roster file (xlsx or csv), base64 in JSON: small enough for the 2 MiB body limit. */
export const ImportRequest = v.object({
  fileName: v.pipe(v.string(), v.maxLength(200), v.regex(/\.(xlsx|csv)$/i, '请上传 .xlsx 或 .csv 文件'), v.title('文件名')),
  content: v.pipe(v.string(), v.maxLength(2_000_000, '文件过大（最多约 1.4 MB）'), v.base64('文件内容格式不正确'), v.title('文件内容')),
  /** Confirmed in the preview: create the branches and 党小组 the file names that do not exist yet, in the same apply. */
  createMissing: v.optional(titled('新建党支部和党小组', v.boolean('请确认是否新建党支部'))),
})
export type ImportRequest = v.InferOutput<typeof ImportRequest>

/** A person as administrators and secretaries see them. */
export interface Person {
  id: string
  name: string
  phone: string
  branchId: string | null
  groupId: string | null
  role: Role
  status: MemberStatus
  joinedPartyOn: string | null
  fullMemberOn: string | null
  note: string
  leadership: boolean
  committee: boolean
  activated: boolean
}

export interface OrgTree {
  orgName: string
  branches: { id: string; name: string; archived: boolean; members: number; groups: { id: string; name: string; archived: boolean }[] }[]
}

export interface MembershipEvent {
  id: string
  kind: string
  fromBranch: string | null
  toBranch: string | null
  date: string
  note: string
  at: string
}

export interface ImportProblem {
  /** Row number as the spreadsheet shows it (header = 1). */
  row: number
  column: string
  message: string
}

export interface ImportRow {
  row: number
  name: string
  phone: string
  branch: string
  group: string
  status: MemberStatus
  joinedPartyOn: string | null
  fullMemberOn: string | null
  note: string
}

/** Branches and 党小组 the file names that do not exist yet: created with the import once confirmed. */
export interface ImportCreate {
  branches: string[]
  groups: { branch: string; group: string }[]
}

export interface ImportPreview {
  rows: ImportRow[]
  problems: ImportProblem[]
  /** Not blocking: what the import did with a value (a date with only year and month, taken as the 1st). */
  notices: ImportProblem[]
  create: ImportCreate
}

export interface IssuedCode {
  userId: string
  name: string
  phone: string
  /** The person's branch (for the slips and the list by branch). */
  branchName?: string | null
  code: string
  expiresAt: string
}

/** How far a new organisation is with its first steps (the administrator's guide on 首页). */
export interface Onboarding {
  /** Branches set up (not archived). */
  branches: number
  /** People other than administrators. */
  people: number
  /** Of them, not yet activated. */
  notActivated: number
  /** Of those, without a valid code issued: nobody has given them one yet (or it expired). */
  withoutCode: number
}

export interface AuditEntry {
  id: string
  at: string
  actor: string
  action: string
  summary: string
  device: string
}
