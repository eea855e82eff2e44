import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { HttpError } from '../lib/http-error.ts'
import * as contracts from '../../core/contracts/meetings.ts'
import { MEETING_TYPE_LABELS, type Rule } from '../../core/domain/meetings.ts'
import { meetingWire, meetingWithin } from '../repositories/meetings.ts'
import { meetingScope } from '../sync/tables/meetings.ts'
import { organizationRules, setOrganizationRules } from '../repositories/organization.ts'
import { branchName } from '../repositories/people.ts'
import { orgRules } from '../services/meeting-rules.ts'
import { route } from './route.ts'
import { managesBranch } from '../../core/domain/authority.ts'
import { meetingCalendar } from '../services/calendar/ics.ts'
import { ledgerWorkbook } from '../services/ledgers/meetings-ledger.ts'
import { visitsWorkbook } from '../services/ledgers/visits-ledger.ts'
import { studyWorkbook } from '../services/ledgers/study-ledger.ts'
import { audit } from '../services/admin/audit.ts'
import { sendXlsx } from '../services/ledgers/workbook.ts'
import { chinaToday } from '../../core/domain/china-time.ts'

/** A meeting's .ics, the yearly ledgers (台账: meetings, visits, study) as workbooks, and the organisation's meeting rules. */
export function meetingRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.meetingIcs, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { file } }) => {
      const m = await meetingWithin(ctx.read, file.slice(0, 36), meetingScope(viewer))
      if (!m) throw new HttpError(404, 'not_found', '会议不存在')
      return (
        reply
          .header('content-type', 'text/calendar; charset=utf-8')
          // Named as the meeting is (date and topic), so the file in the phone's downloads says what it is.
          .header(
            'content-disposition',
            `attachment; filename="meeting.ics"; filename*=UTF-8''${encodeURIComponent(
              `${chinaToday(new Date(m.starts_at))} ${MEETING_TYPE_LABELS[m.type] ?? ''} ${m.topic}`
                .replace(/[\\/:*?"<>|\r\n]+/g, ' ')
                .trim()
                .slice(0, 80),
            )}.ics`,
          )
          .send(meetingCalendar(meetingWire(m), request.hostname))
      )
    },
  })

  route(app, contracts.meetingsLedger, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { scope, file } }) => {
      const branchId = scope === 'leadership' ? null : scope
      if (!managesBranch(viewer, branchId)) throw new HttpError(403, 'forbidden', '只能导出本支部的台账')
      const year = Number(file.slice(0, 4))
      if (year < 2000 || year > 2100) throw new HttpError(400, 'validation', '年份不正确')
      const name = branchId ? await branchName(ctx.read, branchId, viewer.orgId) : '机关党委'
      if (name === null) throw new HttpError(404, 'not_found', '找不到此党支部')
      const title = `${name}${year}年组织生活台账`
      const buf = await ledgerWorkbook(ctx.read, viewer.orgId, branchId, year, title)
      await audit(ctx.db, request, viewer, 'export_ledger', branchId, `导出台账：${title}`)
      return sendXlsx(reply, `${title}.xlsx`, buf)
    },
  })

  route(app, contracts.visitsLedger, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { scope, file } }) => {
      if (scope === 'leadership' || !managesBranch(viewer, scope)) throw new HttpError(403, 'forbidden', '只能导出本支部的走访台账')
      const year = Number(file.slice(0, 4))
      const name = await branchName(ctx.read, scope, viewer.orgId)
      if (name === null) throw new HttpError(404, 'not_found', '找不到此党支部')
      const title = `${name}${year}年走访台账`
      const buf = await visitsWorkbook(ctx.read, viewer.orgId, scope, year, title)
      await audit(ctx.db, request, viewer, 'export_ledger', scope, `导出台账：${title}`)
      return sendXlsx(reply, `${title}.xlsx`, buf)
    },
  })

  route(app, contracts.studyLedger, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { scope, file } }) => {
      if (scope === 'leadership' || !managesBranch(viewer, scope)) throw new HttpError(403, 'forbidden', '只能导出本支部的学习台账')
      const year = Number(file.slice(0, 4))
      if (year < 2000 || year > 2100) throw new HttpError(400, 'validation', '年份不正确')
      const name = await branchName(ctx.read, scope, viewer.orgId)
      if (name === null) throw new HttpError(404, 'not_found', '找不到此党支部')
      const title = `${name}${year}年学习台账`
      const buf = await studyWorkbook(ctx.read, viewer.orgId, scope, year, name)
      await audit(ctx.db, request, viewer, 'export_ledger', scope, `导出台账：${title}`)
      return sendXlsx(reply, `${title}.xlsx`, buf)
    },
  })

  route(app, contracts.rules, {
    access: 'viewer',
    handler: async ({ viewer }) => orgRules(await organizationRules(ctx.read, viewer.orgId)),
  })

  route(app, contracts.setRules, {
    access: 'admin',
    handler: async ({ request, viewer, body }) =>
      ctx.db.transaction().execute(async (trx) => {
        const org = await organizationRules(trx, viewer.orgId)
        const before = orgRules(org).rules
        // A rule kept as it was keeps its day; a new or changed one applies from today (it is not judged for the periods before).
        const today = chinaToday(new Date())
        const next = body.rules?.map((r): Rule => ({
          type: r.type,
          period: r.period,
          times: r.times,
          since: before.find((b) => b.type === r.type && b.period === r.period && b.times === r.times)?.since ?? today,
        }))
        const stored = next ? JSON.stringify(next) : null
        await setOrganizationRules(trx, viewer.orgId, stored)
        await audit(trx, request, viewer, 'rules_update', null, body.rules ? '修改组织生活频次要求' : '恢复默认频次要求')
        return orgRules({ ...org, rules: stored })
      }),
  })
}
