import * as v from 'valibot'
import { Password, PersonName, Phone, titled } from './common.ts'
import type { Role } from '../domain/roles.ts'

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
export interface SessionUser {
  id: string
  orgId: string
  orgName: string
  branchId: string | null
  branchName: string | null
  name: string
  phone: string
  role: Role
}

export interface SetupStatus {
  needsSetup: boolean
}
