import type { FastifyInstance } from 'fastify'
import ExcelJS from 'exceljs'
import type { AppContext } from '../context.ts'
import * as contracts from '../../core/contracts/security.ts'
import { HttpError } from '../lib/http-error.ts'
import { audit } from '../services/admin/audit.ts'
import { managedPerson } from '../services/admin/scope.ts'
import {
  acceptCode,
  decryptSecret,
  encryptSecret,
  issueRecoveryCodes,
  newEnrolment,
  recoveryCodesLeft,
  secretKey,
  codeStep,
} from '../services/security/two-factor.ts'
import { auditRange } from '../repositories/org-units.ts'
import { chinaCellTime, sendXlsx, titledSheet, wrapColumns } from '../services/ledgers/workbook.ts'
import { AUDIT_ACTIONS } from '../services/admin/audit.ts'
import { nowIso } from '../lib/time.ts'
import { route } from './route.ts'
import { complianceSheet } from '../ops/compliance-sheet.ts'
import { attemptLimiter } from '../lib/attempt-limits.ts'
import { hashPassword, verifyPassword } from '../lib/passwords.ts'
import { setPassword } from '../repositories/users.ts'
import { passwordProblem } from '../../core/domain/password-policy.ts'

/** At most this many entries in one export (a year of a large organ is far below). */
export const AUDIT_EXPORT_MAX = 100_000
const ACTION_LABELS = new Map<string, string>(Object.entries(AUDIT_ACTIONS))

/** A China date's first instant (UTC ISO). */
const chinaDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString()
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

/** Two-factor login: enrolment in 我的, recovery codes, an administrator's reset; the audit log's export. */
export function securityRoutes(app: FastifyInstance, ctx: AppContext): void {
  const key = () => secretKey(ctx.db, ctx.security.secretKey)
  const limiter = attemptLimiter(ctx.db, ctx.loginLimits, { clock: ctx.security.clock })

  // A new password on the current one: counted like a login (a phone left signed in is no way to
  // guess the password), checked against the policy, audited.
  route(app, contracts.changePassword, {
    access: 'viewer',
    before: (request, reply) => limiter.fromAddress('login', request.ip, reply),
    handler: async ({ request, reply, viewer, body }) => {
      const me = await ctx.db
        .selectFrom('users')
        .select(['phone', 'name', 'password_hash'])
        .where('id', '=', viewer.id)
        .executeTakeFirstOrThrow()
      await limiter.forAccount('login', me.phone, reply)
      if (!(await verifyPassword(body.current, me.password_hash))) {
        await limiter.failed('login', me.phone)
        throw new HttpError(400, 'validation', '当前密码不正确')
      }
      const weak = passwordProblem(body.password, { phone: me.phone, name: me.name })
      if (weak) throw new HttpError(400, 'validation', `新密码：${weak}`)
      if (body.password === body.current) throw new HttpError(400, 'validation', '新密码不能与当前密码相同')
      const hash = await hashPassword(body.password)
      await ctx.db.transaction().execute(async (trx) => {
        await setPassword(trx, viewer.id, hash)
        await audit(trx, request, viewer, 'password_change', viewer.id, '修改本人密码')
      })
      await limiter.succeeded(me.phone)
      return { ok: true }
    },
  })
  const requiredFor = (role: string) => role === 'admin' && ctx.security.requireAdminTwoFactor

  route(app, contracts.twoFactorStatus, {
    access: 'manager',
    handler: async ({ viewer }) => {
      const u = await ctx.db.selectFrom('users').select('totp_enabled_at').where('id', '=', viewer.id).executeTakeFirstOrThrow()
      return {
        enabled: u.totp_enabled_at !== null,
        required: requiredFor(viewer.role),
        recoveryCodesLeft: await recoveryCodesLeft(ctx.db, viewer.id),
      }
    },
  })

  // A secret to enrol, kept aside (encrypted) until its first code confirms it. Once enrolled the
  // secret is never answered again: enrolling anew needs turning it off (or an administrator's reset) first.
  route(app, contracts.startTwoFactor, {
    access: 'manager',
    handler: async ({ viewer }) => {
      const u = await ctx.db.selectFrom('users').select(['phone', 'totp_enabled_at']).where('id', '=', viewer.id).executeTakeFirstOrThrow()
      if (u.totp_enabled_at) throw new HttpError(409, 'conflict', '已设置两步验证；如需更换手机，请先关闭或请管理员重置')
      const enrolment = newEnrolment(u.phone)
      await ctx.db
        .updateTable('users')
        .set({ totp_pending: encryptSecret(await key(), enrolment.secret) })
        .where('id', '=', viewer.id)
        .execute()
      return enrolment
    },
  })

  route(app, contracts.confirmTwoFactor, {
    access: 'manager',
    handler: async ({ request, viewer, body }) => {
      const k = await key()
      const u = await ctx.db
        .selectFrom('users')
        .select(['totp_pending', 'totp_enabled_at'])
        .where('id', '=', viewer.id)
        .executeTakeFirstOrThrow()
      if (u.totp_enabled_at) throw new HttpError(409, 'conflict', '已设置两步验证')
      if (!u.totp_pending) throw new HttpError(409, 'conflict', '请先开始设置两步验证')
      const step = codeStep(decryptSecret(k, u.totp_pending), body.code, ctx.security.clock())
      if (step === null)
        throw new HttpError(400, 'two_factor_invalid', '验证码不正确，请输入验证器上显示的 6 位数字（注意手机时间是否准确）')
      return ctx.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('users')
          .set({ totp_secret: u.totp_pending, totp_pending: null, totp_enabled_at: nowIso(), totp_last_step: step })
          .where('id', '=', viewer.id)
          .where('totp_enabled_at', 'is', null)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) !== 1) throw new HttpError(409, 'conflict', '已设置两步验证')
        const recoveryCodes = await issueRecoveryCodes(trx, viewer.id)
        await audit(trx, request, viewer, 'two_factor_enrol', viewer.id, '设置两步验证（验证器应用）')
        return { recoveryCodes }
      })
    },
  })

  route(app, contracts.regenerateRecoveryCodes, {
    access: 'manager',
    handler: async ({ request, viewer, body }) => {
      if (!(await acceptCode(ctx.db, await key(), viewer.id, body.code, ctx.security.clock())))
        throw new HttpError(400, 'two_factor_invalid')
      return ctx.db.transaction().execute(async (trx) => {
        const recoveryCodes = await issueRecoveryCodes(trx, viewer.id)
        await audit(trx, request, viewer, 'recovery_codes_issue', viewer.id, '重新生成两步验证恢复码（原恢复码作废）')
        return { recoveryCodes }
      })
    },
  })

  route(app, contracts.disableTwoFactor, {
    access: 'manager',
    handler: async ({ request, viewer, body }) => {
      if (requiredFor(viewer.role)) throw new HttpError(403, 'forbidden', '管理员必须使用两步验证，不能关闭')
      if (!(await acceptCode(ctx.db, await key(), viewer.id, body.code, ctx.security.clock())))
        throw new HttpError(400, 'two_factor_invalid')
      await ctx.db.transaction().execute(async (trx) => {
        await clearTwoFactor(trx, viewer.id)
        await audit(trx, request, viewer, 'two_factor_disable', viewer.id, '关闭本人的两步验证')
      })
      return { ok: true }
    },
  })

  // A lost phone: another administrator clears the person's two-factor login; they sign in with
  // the password and (an administrator) enrol again at once.
  route(app, contracts.resetTwoFactor, {
    access: 'admin',
    handler: async ({ request, viewer, params: { id } }) => {
      if (id === viewer.id) throw new HttpError(403, 'forbidden', '不能重置本人的两步验证，请由另一位管理员操作')
      await ctx.db.transaction().execute(async (trx) => {
        const person = await managedPerson(trx, viewer, id)
        await clearTwoFactor(trx, id)
        await audit(trx, request, viewer, 'two_factor_reset', id, `重置 ${person.name} 的两步验证`)
      })
      return { ok: true }
    },
  })

  // The 备案 / 等保 sheet from this server's configuration, for the administrator who fills the forms.
  route(app, contracts.complianceSheet, {
    access: 'admin',
    handler: async ({ request, reply, viewer }) => {
      const sheet = complianceSheet({ env: ctx.env, version: ctx.version })
      await audit(ctx.db, request, viewer, 'export_compliance_sheet', null, '导出备案与等保资料表')
      return reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('党建随行备案与等保资料表.md')}`)
        .send(sheet)
    },
  })

  // The audit log of a date range, for the 等保 assessor: every field, oldest first, China time.
  route(app, contracts.exportAudit, {
    access: 'admin',
    handler: async ({ request, reply, viewer, query }) => {
      if (query.from > query.to) throw new HttpError(400, 'validation', '开始日期不能晚于结束日期')
      const rows = await auditRange(ctx.read, viewer.orgId, chinaDayStart(query.from), chinaDayStart(nextDay(query.to)), AUDIT_EXPORT_MAX)
      const name = `审计日志-${query.from}至${query.to}.${query.format}`
      await audit(
        ctx.db,
        request,
        viewer,
        'export_audit',
        null,
        `导出审计日志 ${query.from} 至 ${query.to}（${query.format}，${rows.length} 条）`,
      )
      const table = rows.map((r) => ({
        at: (chinaCellTime(r.at) ?? new Date(0)).toISOString().slice(0, 19).replace('T', ' '),
        actor: r.actor,
        phone: r.actor_phone,
        action: ACTION_LABELS.get(r.action) ?? r.action,
        code: r.action,
        summary: r.summary,
        ip: r.ip,
        device: r.device,
        target: r.target_id ?? '',
      }))
      const headers = ['时间（北京时间）', '操作人', '操作人手机号', '事件', '事件代码', '内容', 'IP 地址', '设备', '对象编号']
      if (query.format === 'csv') {
        const cell = (s: string) =>
          /[",\r\n]/.test(s) || /^[=+\-@\t]/.test(s) ? `"${(/^[=+\-@\t]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s
        const lines = [headers, ...table.map((t) => [t.at, t.actor, t.phone, t.action, t.code, t.summary, t.ip, t.device, t.target])]
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
          .send(`\uFEFF${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`)
      }
      const wb = new ExcelJS.Workbook()
      wb.creator = '党建随行'
      const sheet = titledSheet(wb, '审计日志', `审计日志 ${query.from} 至 ${query.to}`, [
        { header: headers[0] ?? '', key: 'at', width: 20, date: 'time' },
        { header: headers[1] ?? '', key: 'actor', width: 12 },
        { header: headers[2] ?? '', key: 'phone', width: 14 },
        { header: headers[3] ?? '', key: 'action', width: 16 },
        { header: headers[4] ?? '', key: 'code', width: 16 },
        { header: headers[5] ?? '', key: 'summary', width: 48 },
        { header: headers[6] ?? '', key: 'ip', width: 16 },
        { header: headers[7] ?? '', key: 'device', width: 30 },
        { header: headers[8] ?? '', key: 'target', width: 20 },
      ])
      sheet.addRows(rows.map((r, i) => ({ ...table[i], at: chinaCellTime(r.at) })))
      wrapColumns(sheet, ['summary', 'device'])
      return sendXlsx(reply, name, Buffer.from(await wb.xlsx.writeBuffer()))
    },
  })
}

async function clearTwoFactor(trx: AppContext['db'], userId: string): Promise<void> {
  await trx.updateTable('users').set({ totp_secret: null, totp_pending: null, totp_enabled_at: null }).where('id', '=', userId).execute()
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
}
