import type { FastifyInstance } from 'fastify'
import ExcelJS from 'exceljs'
import type { AppContext } from '../context.ts'
import { HttpError } from '../lib/http-error.ts'
import { hashPassword } from '../lib/passwords.ts'
import { attemptLimiter } from '../lib/attempt-limits.ts'
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../plugins/auth.ts'
import * as contracts from '../../core/contracts/account.ts'
import { activate } from '../../core/contracts/auth.ts'
import { redeemActivationCode } from '../services/admin/activation.ts'
import { activeSessions, createSession, revokeRemotely, revokeSession } from '../repositories/sessions.ts'
import { setPassword, signedIn } from '../repositories/users.ts'
import { personalRows } from '../repositories/personal-data.ts'
import { publicRoute, route } from './route.ts'
import { audit, auditAs } from '../services/admin/audit.ts'
import { passwordProblem } from '../../core/domain/password-policy.ts'
import { STUDY_KIND_LABELS } from '../../core/domain/study-kinds.ts'
import { STATUS_LABELS, ROLE_LABELS } from '../../core/domain/roles.ts'
import { nowIso } from '../lib/time.ts'
import { sendXlsx } from '../services/ledgers/workbook.ts'
import { formatChinaDateTime } from '../../core/domain/china-time.ts'
import { FEEDBACK_CATEGORY_LABELS } from '../../core/schemas/entities.ts'
import { CONSENT_LABELS, type ConsentKind } from '../../core/domain/privacy-notice.ts'
import { DUES_CATEGORY_LABELS, DUES_KIND_LABELS, DUES_METHOD_LABELS, monthLabel } from '../../core/domain/dues-rules.ts'
import { TRAINING_SOURCE_LABELS, hoursOf } from '../../core/domain/training.ts'
import { personalTraining } from '../services/training/training-data.ts'

/** Activation with a one-time code, the member's own devices, and their own data to take away. */
export function accountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const limiter = attemptLimiter(ctx.db, ctx.loginLimits)
  // Limited like login (per address, per account, a lock after repeated failures), with an
  // allowance of its own. Setting a password with a code (a first activation or a reset) signs
  // out every earlier session of the person, as a remote sign-out in the same transaction: a reset
  // is what one does when a phone or the password is in someone else's hands, so those phones
  // wipe the account's data at their next contact (docs/sync.md).
  publicRoute(app, activate, {
    before: (request, reply) => limiter.fromAddress('activate', request.ip, reply),
    handler: async ({ request, reply, body: input }) => {
      await limiter.forAccount('activate', input.phone, reply)
      const passwordHash = await hashPassword(input.password)
      const userId = await ctx.db.transaction().execute(async (trx) => {
        const id = await redeemActivationCode(trx, input.phone, input.code)
        if (!id) return null
        const person = await trx.selectFrom('users').select(['name', 'org_id']).where('id', '=', id).executeTakeFirstOrThrow()
        // The whole act rolls back (the code stays usable) if the password is the person's phone number or name.
        const weak = passwordProblem(input.password, { phone: input.phone, name: person.name })
        if (weak) throw new HttpError(400, 'validation', `密码：${weak}`)
        await setPassword(trx, id, passwordHash)
        await auditAs(
          trx,
          request,
          { orgId: person.org_id, actorId: id },
          'activate',
          id,
          `${person.name} 用激活码设置密码（其他设备已退出）`,
        )
        await revokeRemotely(trx, { userId: id })
        return id
      })
      if (!userId) {
        await limiter.failed('activate', input.phone)
        throw new HttpError(401, 'activation_invalid')
      }
      await limiter.succeeded(input.phone)
      const token = await createSession(ctx.db, userId, request.headers['user-agent'] ?? '')
      setSessionCookie(request, reply, token, ctx.secureCookies)
      request.log.info({ userId }, 'activated')
      return { user: await signedIn(ctx.db, userId, ctx.security.requireAdminTwoFactor) }
    },
  })

  route(app, contracts.sessions, {
    access: 'viewer',
    handler: async ({ viewer }) => ({ sessions: await activeSessions(ctx.read, viewer.id, viewer.sessionId) }),
  })

  route(app, contracts.revokeSession, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { id } }) => {
      if (id === viewer.sessionId) {
        const token = request.cookies[SESSION_COOKIE]
        if (token) await revokeSession(ctx.db, token)
        clearSessionCookie(reply)
        return { signedOut: 1 }
      }
      const n = await ctx.db.transaction().execute(async (trx) => {
        const count = await revokeRemotely(trx, { userId: viewer.id, sessionId: id })
        if (count === 0) throw new HttpError(404, 'not_found', '找不到此设备')
        await audit(trx, request, viewer, 'sessions_revoke', viewer.id, '退出本人的一台设备', { session: id })
        return count
      })
      return { signedOut: n }
    },
  })

  // 退出其他设备: every session of the person but this one, as a remote sign-out (those phones
  // wipe the account's data), e.g. after a password was seen or a phone was lent.
  route(app, contracts.revokeOtherSessions, {
    access: 'viewer',
    handler: async ({ request, viewer }) => {
      const n = await ctx.db.transaction().execute(async (trx) => {
        const count = await revokeRemotely(trx, { userId: viewer.id, exceptSessionId: viewer.sessionId })
        if (count > 0)
          await audit(trx, request, viewer, 'sessions_revoke', viewer.id, '退出本人的其他设备', { kept: viewer.sessionId, count })
        return count
      })
      return { signedOut: n }
    },
  })

  route(app, contracts.exportJson, {
    access: 'viewer',
    handler: async ({ request, reply, viewer }) => {
      const data = await personalData(ctx, viewer.id)
      await audit(ctx.db, request, viewer, 'export_personal', viewer.id, '导出本人全部数据（JSON）')
      return reply
        .header(
          'content-disposition',
          `attachment; filename="suixing.json"; filename*=UTF-8''${encodeURIComponent(exportName(data, 'json'))}`,
        )
        .send(data)
    },
  })

  route(app, contracts.exportXlsx, {
    access: 'viewer',
    handler: async ({ request, reply, viewer }) => {
      const data = await personalData(ctx, viewer.id)
      const wb = new ExcelJS.Workbook()
      wb.creator = '党建随行'
      const info = wb.addWorksheet('个人信息')
      info.columns = [
        { header: '项目', key: 'k', width: 14 },
        { header: '内容', key: 'v', width: 40 },
      ]
      const p = data.profile
      info.addRows([
        { k: '姓名', v: p.name },
        { k: '手机号', v: p.phone },
        { k: '所在支部', v: p.branch ?? '' },
        { k: '角色', v: ROLE_LABELS[p.role] },
        { k: '人员类别', v: STATUS_LABELS[p.status] },
        { k: '入党日期', v: p.joinedPartyOn ?? '' },
        { k: '转正日期', v: p.fullMemberOn ?? '' },
        ...(p.wecomUserId ? [{ k: '企业微信账号', v: p.wecomUserId }] : []),
        { k: '导出时间', v: `${formatChinaDateTime(new Date(data.exportedAt))}（北京时间）` },
      ])
      const study = wb.addWorksheet('学习记录')
      study.columns = [
        { header: '日期', key: 'date', width: 12 },
        { header: '类型', key: 'kind', width: 12 },
        { header: '内容', key: 'title', width: 40 },
        { header: '时长（分钟）', key: 'minutes', width: 12 },
        { header: '心得', key: 'notes', width: 60 },
        { header: '链接', key: 'sourceUrl', width: 30 },
      ]
      study.addRows(data.studyRecords.map((r) => ({ ...r, kind: STUDY_KIND_LABELS[r.kind] ?? r.kind })))
      const oaths = wb.addWorksheet('重温入党誓词')
      oaths.columns = [{ header: '日期', key: 'date', width: 14 }]
      oaths.addRows(data.oathRenewals)
      const history = wb.addWorksheet('组织关系')
      history.columns = [
        { header: '日期', key: 'date', width: 12 },
        { header: '事项', key: 'kind', width: 14 },
        { header: '转出', key: 'from', width: 24 },
        { header: '转入', key: 'to', width: 24 },
        { header: '说明', key: 'note', width: 30 },
      ]
      history.addRows(data.membershipHistory)
      const fb = wb.addWorksheet('投诉建议')
      fb.columns = [
        { header: '提交时间', key: 'createdAt', width: 20 },
        { header: '类别', key: 'category', width: 8 },
        { header: '内容', key: 'text', width: 60 },
        { header: '匿名', key: 'anonymous', width: 8 },
        { header: '答复', key: 'answer', width: 60 },
        { header: '答复时间', key: 'answeredAt', width: 20 },
      ]
      fb.addRows(data.feedback.map((f) => ({ ...f, anonymous: f.anonymous ? '是' : '否' })))
      const cs = wb.addWorksheet('同意记录')
      cs.columns = [
        { header: '事项', key: 'what', width: 30 },
        { header: '版本', key: 'version', width: 8 },
        { header: '同意/撤回', key: 'granted', width: 10 },
        { header: '时间', key: 'at', width: 24 },
      ]
      cs.addRows(data.consents.map((c) => ({ ...c, granted: c.granted ? '同意' : '撤回' })))
      const dues = wb.addWorksheet('党费')
      dues.columns = [
        { header: '交纳日期', key: 'receivedOn', width: 12 },
        { header: '交纳方式', key: 'kind', width: 10 },
        { header: '月份', key: 'months', width: 30 },
        { header: '金额（元）', key: 'amount', width: 12 },
        { header: '收款方式', key: 'method', width: 10 },
        { header: '收据号', key: 'receiptNo', width: 20 },
        { header: '备注', key: 'notes', width: 30 },
      ]
      const d = data.dues.profile
      if (d)
        dues.addRow({
          receivedOn: '申报',
          kind: DUES_CATEGORY_LABELS[d.category],
          months: `自${monthLabel(d.fromMonth)}起`,
          amount: d.baseFen === null ? null : Number(d.baseFen) / 100,
          notes: `党费基数（元），核定于 ${d.checkedOn}`,
        })
      dues.addRows(
        data.dues.payments.map((r) => ({
          ...r,
          kind: DUES_KIND_LABELS[r.kind],
          months: r.months.map(monthLabel).join('、'),
          amount: r.amountFen / 100,
          method: DUES_METHOD_LABELS[r.method],
        })),
      )
      dues.getColumn('amount').numFmt = '#,##0.00'
      dues.getRow(1).font = { bold: true }
      const hours = wb.addWorksheet('学时')
      hours.columns = [
        { header: '年度', key: 'year', width: 8 },
        { header: '日期', key: 'date', width: 12 },
        { header: '来源', key: 'source', width: 10 },
        { header: '内容', key: 'title', width: 40 },
        { header: '时长（分钟）', key: 'minutes', width: 12 },
        { header: '学时', key: 'hours', width: 10 },
      ]
      const per = data.training.minutesPerHour
      for (const y of data.training.years) {
        hours.addRows(
          y.items.map((i) => ({
            year: y.year,
            date: i.date,
            source: TRAINING_SOURCE_LABELS[i.source],
            title: i.title,
            minutes: i.minutes,
            hours: hoursOf(i.minutes, per),
          })),
        )
        hours.addRow({
          year: y.year,
          title: `${y.year}年合计（每学时${per}分钟）${y.required === null ? '，不作硬性要求' : `，年度要求${y.required}学时`}`,
          minutes: y.minutes,
          hours: y.hours,
        })
      }
      const outside = wb.addWorksheet('其他培训')
      outside.columns = [
        { header: '培训名称', key: 'title', width: 36 },
        { header: '举办单位', key: 'organiser', width: 20 },
        { header: '开始日期', key: 'startOn', width: 12 },
        { header: '结束日期', key: 'endOn', width: 12 },
        { header: '时长（分钟）', key: 'minutes', width: 12 },
        { header: '确认', key: 'confirmed', width: 10 },
        { header: '备注', key: 'notes', width: 40 },
      ]
      outside.addRows(data.training.outsideTrainings.map((o) => ({ ...o, confirmed: o.confirmedAt ? '已确认' : '待确认' })))
      info.getRow(1).font = { bold: true }
      study.getRow(1).font = { bold: true }
      await audit(ctx.db, request, viewer, 'export_personal', viewer.id, '导出本人全部数据（xlsx）')
      const buf = await wb.xlsx.writeBuffer()
      return sendXlsx(reply, exportName(data, 'xlsx'), Buffer.from(buf))
    },
  })
}

/** "党建随行个人数据-张三-2026-11-28-1405.xlsx": whose, and when in China time (not UTC). */
function exportName(data: { exportedAt: string; profile: { name: string } }, ext: 'json' | 'xlsx'): string {
  const at = new Date(Date.parse(data.exportedAt) + 8 * 3600_000).toISOString()
  return `党建随行个人数据-${data.profile.name.replace(/[\\/:*?"<>|\s]+/g, '')}-${at.slice(0, 10)}-${at.slice(11, 13)}${at.slice(14, 16)}.${ext}`
}

const EVENT_LABELS: Record<string, string> = {
  join: '加入',
  move: '调整支部',
  transfer_in: '组织关系转入',
  transfer_out: '组织关系转出',
  left: '离开本单位',
  deceased: '去世',
}

/** Everything the server holds about one person, in their own words. */
async function personalData(ctx: AppContext, userId: string) {
  const rows = await personalRows(ctx.read, userId)
  if (!rows) throw new HttpError(404, 'not_found')
  const { profile: p, studyRecords, oathRenewals, events, reminders, devices, feedback, consents, duesProfile, duesPayments } = rows
  return {
    exportedAt: nowIso(),
    profile: {
      name: p.name,
      phone: p.phone,
      branch: p.branch,
      role: p.role,
      status: p.status,
      joinedPartyOn: p.joined_party_on,
      fullMemberOn: p.full_member_on,
      note: p.note,
      createdAt: p.created_at,
      /** The 企业微信 / 政务微信 account reminders go to, if linked. */
      wecomUserId: p.wecom_userid,
    },
    studyRecords: studyRecords.map((r) => ({ ...r, minutes: Number(r.minutes) })),
    oathRenewals,
    membershipHistory: events.map((e) => ({ ...e, kind: EVENT_LABELS[e.kind] ?? e.kind })),
    reminderSettings: reminders ?? null,
    devices,
    feedback: feedback.map((f) => ({
      createdAt: f.createdAt,
      category: FEEDBACK_CATEGORY_LABELS[f.category],
      text: f.text,
      anonymous: f.anonymous === 1,
      answer: f.answer,
      answeredAt: f.answeredAt,
    })),
    consents: consents.map((c) => ({
      what: CONSENT_LABELS[c.kind as ConsentKind | 'notice'] ?? c.kind,
      version: c.version,
      granted: c.granted === 1,
      at: c.at,
    })),
    /** 党费: the declaration (base in 分) and every receipt (amounts in 分). */
    dues: {
      profile: duesProfile ? { ...duesProfile, baseFen: duesProfile.baseFen === null ? null : Number(duesProfile.baseFen) } : null,
      payments: duesPayments.map((r) => ({ ...r, months: JSON.parse(r.months) as string[], amountFen: Number(r.amountFen) })),
    },
    training: await personalTraining(ctx.read, p.org_id, userId),
  }
}
