import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { newId } from '../../core/ids.ts'
import { nowIso } from '../lib/time.ts'

/** What the audit log records, as 操作日志 names it. */
export const AUDIT_ACTIONS = {
  person_create: '新增人员',
  person_update: '修改人员信息',
  person_role: '变更角色',
  person_move: '调整所在支部',
  person_remove: '移除人员',
  activation_issue: '发放激活码',
  import_apply: '导入花名册',
  sessions_revoke: '退出设备登录',
  branch_create: '新增党支部',
  branch_update: '修改党支部',
  group_create: '新增党小组',
  group_update: '修改党小组',
  export_personal: '导出个人数据',
  export_ledger: '导出台账',
  rules_update: '修改组织生活要求',
  setup: '系统初始化',
  login: '登录',
  login_failed: '登录失败',
  activate: '激活码设置密码',
  password_change: '修改密码',
  two_factor_enrol: '设置两步验证',
  two_factor_failed: '两步验证失败',
  two_factor_reset: '重置两步验证',
  two_factor_disable: '关闭两步验证',
  recovery_codes_issue: '重新生成恢复码',
  recovery_code_used: '使用恢复码登录',
  export_audit: '导出审计日志',
  export_compliance_sheet: '导出备案资料表',
  audit_retention: '清理超过保存期限的审计日志',
  dues_collector: '指定党费收缴员',
  dues_receipt: '登记党费收据',
  dues_void: '作废党费收据',
  dues_declare: '代为申报党费基数',
  training_update: '修改学时设置',
  training_flags: '修改党员学时标记',
} as const
export type AuditAction = keyof typeof AUDIT_ACTIONS

/**
 * Appends one entry to the audit log, inside the transaction of the act it records (no act without
 * its entry). The log has no update or delete path anywhere in the code (the retention job aside).
 * services/admin/audit.ts calls it for requests; synced writes that move money call it directly
 * with where the push came from (Viewer.origin).
 */
export async function appendAudit(
  trx: Kysely<Database>,
  e: {
    orgId: string
    actorId: string
    action: AuditAction
    targetId: string | null
    summary: string
    detail?: Record<string, unknown>
    device: string
    ip: string
  },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: newId(),
      org_id: e.orgId,
      actor_id: e.actorId,
      action: e.action,
      target_id: e.targetId,
      summary: e.summary.slice(0, 500),
      detail: JSON.stringify(e.detail ?? {}),
      device: e.device.slice(0, 300),
      ip: e.ip,
      at: nowIso(),
    })
    .execute()
}
