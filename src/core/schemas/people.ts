import * as v from 'valibot'
import { IsoDate, Password, PersonName, Phone, titled, Uuid } from './common.ts'
import { normalizeActivationCode } from '../identifiers.ts'
import { MEMBER_STATUSES, ROLES } from '../domain/roles.ts'

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

/** What happened to a person's membership (组织关系): joined, moved or transferred in, or left. */
export type MembershipEventKind = 'join' | (typeof MOVE_KINDS)[number] | (typeof REMOVE_REASONS)[number]

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
export const Person = v.object({
  id: v.string(),
  name: v.string(),
  phone: v.string(),
  branchId: v.nullable(v.string()),
  groupId: v.nullable(v.string()),
  role: v.picklist(ROLES),
  status: v.picklist(MEMBER_STATUSES),
  joinedPartyOn: v.nullable(v.string()),
  fullMemberOn: v.nullable(v.string()),
  note: v.string(),
  leadership: v.boolean(),
  committee: v.boolean(),
  activated: v.boolean(),
})
export type Person = v.InferOutput<typeof Person>

const OrgUnit = { id: v.string(), name: v.string(), archived: v.boolean() }
export const OrgTree = v.object({
  orgName: v.string(),
  branches: v.array(v.object({ ...OrgUnit, members: v.number(), groups: v.array(v.object(OrgUnit)) })),
})
export type OrgTree = v.InferOutput<typeof OrgTree>

export const MembershipEvent = v.object({
  id: v.string(),
  kind: v.string(),
  fromBranch: v.nullable(v.string()),
  toBranch: v.nullable(v.string()),
  date: v.string(),
  note: v.string(),
  at: v.string(),
})
export type MembershipEvent = v.InferOutput<typeof MembershipEvent>

export const ImportProblem = v.object({
  /** Row number as the spreadsheet shows it (header = 1). */
  row: v.number(),
  column: v.string(),
  message: v.string(),
})
export type ImportProblem = v.InferOutput<typeof ImportProblem>

export const ImportRow = v.object({
  row: v.number(),
  name: v.string(),
  phone: v.string(),
  branch: v.string(),
  group: v.string(),
  status: v.picklist(MEMBER_STATUSES),
  joinedPartyOn: v.nullable(v.string()),
  fullMemberOn: v.nullable(v.string()),
  note: v.string(),
})
export type ImportRow = v.InferOutput<typeof ImportRow>

/** Branches and 党小组 the file names that do not exist yet: created with the import once confirmed. */
export const ImportCreate = v.object({
  branches: v.array(v.string()),
  groups: v.array(v.object({ branch: v.string(), group: v.string() })),
})
export type ImportCreate = v.InferOutput<typeof ImportCreate>

export const ImportPreview = v.object({
  rows: v.array(ImportRow),
  problems: v.array(ImportProblem),
  /** Not blocking: what the import did with a value (a date with only year and month, taken as the 1st). */
  notices: v.array(ImportProblem),
  create: ImportCreate,
})
export type ImportPreview = v.InferOutput<typeof ImportPreview>

export const IssuedCode = v.object({
  userId: v.string(),
  name: v.string(),
  phone: v.string(),
  /** The person's branch (for the slips and the list by branch). */
  branchName: v.optional(v.nullable(v.string())),
  code: v.string(),
  expiresAt: v.string(),
})
export type IssuedCode = v.InferOutput<typeof IssuedCode>

/** How far a new organisation is with its first steps (the administrator's guide on 首页). */
export const Onboarding = v.object({
  /** Branches set up (not archived). */
  branches: v.number(),
  /** People other than administrators. */
  people: v.number(),
  /** Of them, not yet activated. */
  notActivated: v.number(),
  /** Of those, without a valid code issued: nobody has given them one yet (or it expired). */
  withoutCode: v.number(),
})
export type Onboarding = v.InferOutput<typeof Onboarding>

export const AuditEntry = v.object({
  id: v.string(),
  at: v.string(),
  actor: v.string(),
  action: v.string(),
  summary: v.string(),
  device: v.string(),
})
export type AuditEntry = v.InferOutput<typeof AuditEntry>
