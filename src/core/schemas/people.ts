import * as v from 'valibot'
import { IsoDate, Password, PersonName, Phone, Uuid } from './common.ts'
import { normalizeActivationCode } from '../identifiers.ts'
import { MEMBER_STATUSES, ROLES, type MemberStatus, type Role } from '../domain/roles.ts'

/** Administration of the organisation: people, branches, groups, activation, import. Online only. */

const Note = v.pipe(v.string('备注应为文本'), v.maxLength(500, '备注最多 500 字'))
const OptionalDate = v.nullable(IsoDate)

export const PersonInput = v.object({
  name: PersonName,
  phone: Phone,
  branchId: v.nullable(Uuid),
  groupId: v.optional(v.nullable(Uuid), null),
  role: v.optional(v.picklist(ROLES, '角色不正确'), 'member'),
  status: v.optional(v.picklist(MEMBER_STATUSES, '党员类别不正确'), 'full'),
  joinedPartyOn: v.optional(OptionalDate, null),
  fullMemberOn: v.optional(OptionalDate, null),
  note: v.optional(Note, ''),
  leadership: v.optional(v.boolean(), false),
})
export type PersonInput = v.InferOutput<typeof PersonInput>

export const PersonPatch = v.partial(
  v.strictObject({
    name: PersonName,
    phone: Phone,
    groupId: v.nullable(Uuid),
    status: v.picklist(MEMBER_STATUSES, '党员类别不正确'),
    joinedPartyOn: OptionalDate,
    fullMemberOn: OptionalDate,
    note: Note,
    leadership: v.boolean(),
  }),
)
export type PersonPatch = v.InferOutput<typeof PersonPatch>

export const RoleInput = v.object({ role: v.picklist(ROLES, '角色不正确') })

export const MOVE_KINDS = ['move', 'transfer_in'] as const
export const MoveInput = v.object({
  branchId: Uuid,
  date: IsoDate,
  kind: v.optional(v.picklist(MOVE_KINDS), 'move'),
  note: v.optional(Note, ''),
})

export const REMOVE_REASONS = ['transfer_out', 'left', 'deceased'] as const
export const REMOVE_REASON_LABELS: Record<(typeof REMOVE_REASONS)[number], string> = { transfer_out: '组织关系转出', left: '离开本单位', deceased: '去世' }
export const RemoveInput = v.object({
  reason: v.picklist(REMOVE_REASONS, '请选择原因'),
  date: IsoDate,
  note: v.optional(Note, ''),
})

export const IdParams = v.object({ id: Uuid })

export const BranchInput = v.object({ name: v.pipe(v.string(), v.trim(), v.minLength(2, '请填写名称'), v.maxLength(60, '名称最多 60 字')) })
export const BranchPatch = v.partial(v.strictObject({ name: BranchInput.entries.name, archived: v.boolean() }))
export const GroupInput = v.object({ branchId: Uuid, name: BranchInput.entries.name })

/** Activation codes: 8 characters without look-alikes (no 0/O, 1/I/L). */
export const ACTIVATION_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const ActivationCode = v.pipe(
  v.string('激活码应为文本'),
  v.maxLength(40, '激活码为 8 位字母或数字'),
  v.transform(normalizeActivationCode),
  v.regex(/^[A-HJKMNP-Z2-9]{8}$/, '激活码为 8 位字母或数字'),
)
export const ActivateRequest = v.object({ phone: Phone, code: ActivationCode, password: Password })
export type ActivateRequest = v.InferOutput<typeof ActivateRequest>

/** A roster file (xlsx or csv), base64 in JSON: small enough for the 2 MiB body limit. */
export const ImportRequest = v.object({
  fileName: v.pipe(v.string(), v.maxLength(200), v.regex(/\.(xlsx|csv)$/i, '请上传 .xlsx 或 .csv 文件')),
  content: v.pipe(v.string(), v.maxLength(2_000_000, '文件过大（最多约 1.4 MB）'), v.base64('文件内容格式不正确')),
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

export interface ImportPreview {
  rows: ImportRow[]
  problems: ImportProblem[]
}

export interface IssuedCode {
  userId: string
  name: string
  phone: string
  code: string
  expiresAt: string
}

export interface AuditEntry {
  id: string
  at: string
  actor: string
  action: string
  summary: string
  device: string
}
