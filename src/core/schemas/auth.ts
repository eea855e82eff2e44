import * as v from 'valibot'
import { Password, PersonName, Phone, titled } from './common.ts'
import { ROLES } from '../domain/roles.ts'

export const LoginRequest = v.object({
  phone: Phone,
  password: v.pipe(v.string('密码应为文本'), v.minLength(1, '请输入密码'), v.maxLength(128, '密码最多 128 位'), v.title('密码')),
})
export type LoginRequest = v.InferOutput<typeof LoginRequest>

export const SetupRequest = v.object({
  orgName: v.pipe(
    v.string('组织名称应为文本'),
    v.trim(),
    v.minLength(2, '请填写组织名称'),
    v.maxLength(80, '组织名称最多 80 字'),
    v.title('组织名称'),
  ),
  adminName: titled('管理员姓名', PersonName),
  phone: Phone,
  password: Password,
})
export type SetupRequest = v.InferOutput<typeof SetupRequest>

/** The signed-in account as the client keeps it (also offline). */
export const SessionUser = v.object({
  id: v.string(),
  orgId: v.string(),
  orgName: v.string(),
  branchId: v.nullable(v.string()),
  branchName: v.nullable(v.string()),
  name: v.string(),
  phone: v.string(),
  role: v.picklist(ROLES),
  /** An administrator who must enrol two-factor login before anything else (the app opens 我的 › 两步验证). */
  mustEnrolTwoFactor: v.optional(v.boolean()),
  /** The password in use breaks the password policy (seen at login): the app asks for a new one (我的 › 修改密码). */
  mustChangePassword: v.optional(v.boolean()),
})
export type SessionUser = v.InferOutput<typeof SessionUser>

export const SetupStatus = v.object({ needsSetup: v.boolean() })
export type SetupStatus = v.InferOutput<typeof SetupStatus>
