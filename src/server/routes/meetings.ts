import type { FastifyInstance } from 'fastify'
import * as v from 'valibot'
import type { AppContext } from '../context.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import { requireViewer } from '../plugins/auth.ts'
import { Uuid } from '../../core/schemas/common.ts'
import { DEFAULT_RULES, MEETING_TYPE_LABELS, MEETING_TYPES, type MeetingType, type Rule } from '../../core/domain/meetings.ts'
import { meetingScope } from '../sync/tables/meetings.ts'
import { managesBranch } from '../../core/domain/authority.ts'
import { meetingCalendar } from '../services/calendar/ics.ts'
import { ledgerWorkbook } from '../services/ledgers/meetings-ledger.ts'
import { visitsWorkbook } from '../services/ledgers/visits-ledger.ts'
import { studyWorkbook } from '../services/ledgers/study-ledger.ts'
import { requireAdmin } from '../services/admin/scope.ts'
import { audit } from '../services/admin/audit.ts'
import { sendXlsx } from '../services/ledgers/workbook.ts'
import { chinaToday } from '../../core/domain/china-time.ts'

const MeetingIcs = v.object({ file: v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}\.ics$/, '会议编号不正确')) })
const LedgerParams = v.object({
  scope: v.union([Uuid, v.literal('leadership')], '请选择党支部'),
  file: v.pipe(v.string(), v.regex(/^\d{4}\.xlsx$/, '年份不正确')),
})
const Rules = v.pipe(
  v.array(
    v.object({
      type: v.picklist(MEETING_TYPES),
      period: v.picklist(['month', 'quarter', 'year']),
      times: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)),
    }),
  ),
  v.maxLength(20),
)

/**
 * The organisation's rules, each with the day from which it is judged (never before the
 * organisation started), and that day itself: a new organisation owes nothing for the time before it.
 */
function rulesReply(org: { rules: string | null; created_at: string }): { rules: Rule[]; custom: boolean; startedOn: string } {
  const startedOn = chinaToday(new Date(org.created_at))
  const rules = org.rules ? (JSON.parse(org.rules) as Rule[]) : DEFAULT_RULES
  return {
    rules: rules.map((r) => ({ ...r, since: r.since && r.since > startedOn ? r.since : startedOn })),
    custom: org.rules !== null,
    startedOn,
  }
}

/** A meeting's .ics, the yearly ledgers (台账: meetings, visits, study) as workbooks, and the organisation's meeting rules. */
export function meetingRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/meetings/:file', async (request, reply) => {
    const viewer = requireViewer(request)
    const { file } = parseInput(MeetingIcs, request.params)
    const m = await ctx.read
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', file.slice(0, 36))
      .where(meetingScope(viewer))
      .executeTakeFirst()
    if (!m) throw new HttpError(404, 'not_found', '会议不存在')
    return (
      reply
        .header('content-type', 'text/calendar; charset=utf-8')
        // Named as the meeting is (date and topic), so the file in the phone's downloads says what it is.
        .header(
          'content-disposition',
          `attachment; filename="meeting.ics"; filename*=UTF-8''${encodeURIComponent(
            `${chinaToday(new Date(m.starts_at))} ${MEETING_TYPE_LABELS[m.type as MeetingType] ?? ''} ${m.topic}`
              .replace(/[\\/:*?"<>|\r\n]+/g, ' ')
              .trim()
              .slice(0, 80),
          )}.ics`,
        )
        .send(
          meetingCalendar(
            {
              id: m.id,
              type: m.type,
              topic: m.topic,
              startsAt: m.starts_at,
              durationMinutes: Number(m.duration_minutes),
              place: m.place,
              agenda: m.agenda,
              deleted: m.deleted === 1,
            },
            request.hostname,
          ),
        )
    )
  })

  app.get('/api/ledger/:scope/:file', async (request, reply) => {
    const viewer = requireViewer(request)
    const { scope, file } = parseInput(LedgerParams, request.params)
    const branchId = scope === 'leadership' ? null : scope
    if (!managesBranch(viewer, branchId)) throw new HttpError(403, 'forbidden', '只能导出本支部的台账')
    const year = Number(file.slice(0, 4))
    if (year < 2000 || year > 2100) throw new HttpError(400, 'validation', '年份不正确')
    const branch = branchId
      ? await ctx.read
          .selectFrom('branches')
          .select('name')
          .where('id', '=', branchId)
          .where('org_id', '=', viewer.orgId)
          .executeTakeFirst()
      : { name: '机关党委' }
    if (!branch) throw new HttpError(404, 'not_found', '找不到此党支部')
    const title = `${branch.name}${year}年组织生活台账`
    const buf = await ledgerWorkbook(ctx.read, viewer.orgId, branchId, year, title)
    await audit(ctx.db, request, viewer, 'export_ledger', branchId, `导出台账：${title}`)
    return sendXlsx(reply, `${title}.xlsx`, buf)
  })

  app.get('/api/visits-ledger/:scope/:file', async (request, reply) => {
    const viewer = requireViewer(request)
    const { scope, file } = parseInput(LedgerParams, request.params)
    if (scope === 'leadership' || !managesBranch(viewer, scope)) throw new HttpError(403, 'forbidden', '只能导出本支部的走访台账')
    const year = Number(file.slice(0, 4))
    const branch = await ctx.read
      .selectFrom('branches')
      .select('name')
      .where('id', '=', scope)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!branch) throw new HttpError(404, 'not_found', '找不到此党支部')
    const title = `${branch.name}${year}年走访台账`
    const buf = await visitsWorkbook(ctx.read, viewer.orgId, scope, year, title)
    await audit(ctx.db, request, viewer, 'export_ledger', scope, `导出台账：${title}`)
    return sendXlsx(reply, `${title}.xlsx`, buf)
  })

  app.get('/api/study-ledger/:scope/:file', async (request, reply) => {
    const viewer = requireViewer(request)
    const { scope, file } = parseInput(LedgerParams, request.params)
    if (scope === 'leadership' || !managesBranch(viewer, scope)) throw new HttpError(403, 'forbidden', '只能导出本支部的学习台账')
    const year = Number(file.slice(0, 4))
    if (year < 2000 || year > 2100) throw new HttpError(400, 'validation', '年份不正确')
    const branch = await ctx.read
      .selectFrom('branches')
      .select('name')
      .where('id', '=', scope)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!branch) throw new HttpError(404, 'not_found', '找不到此党支部')
    const title = `${branch.name}${year}年学习台账`
    const buf = await studyWorkbook(ctx.read, viewer.orgId, scope, year, branch.name)
    await audit(ctx.db, request, viewer, 'export_ledger', scope, `导出台账：${title}`)
    return sendXlsx(reply, `${title}.xlsx`, buf)
  })

  app.get('/api/org/rules', async (request) => {
    const viewer = requireViewer(request)
    const org = await ctx.read
      .selectFrom('organizations')
      .select(['rules', 'created_at'])
      .where('id', '=', viewer.orgId)
      .executeTakeFirstOrThrow()
    return rulesReply(org)
  })

  app.post('/api/admin/rules', async (request) => {
    const viewer = requireViewer(request)
    requireAdmin(viewer)
    const body = parseInput(v.object({ rules: v.nullable(Rules) }), request.body)
    return ctx.db.transaction().execute(async (trx) => {
      const org = await trx
        .selectFrom('organizations')
        .select(['rules', 'created_at'])
        .where('id', '=', viewer.orgId)
        .executeTakeFirstOrThrow()
      const before = rulesReply(org).rules
      // A rule kept as it was keeps its day; a new or changed one applies from today (it is not judged for the periods before).
      const today = chinaToday(new Date())
      const next = body.rules?.map((r): Rule => ({
        type: r.type,
        period: r.period,
        times: r.times,
        since: before.find((b) => b.type === r.type && b.period === r.period && b.times === r.times)?.since ?? today,
      }))
      await trx
        .updateTable('organizations')
        .set({ rules: next ? JSON.stringify(next) : null })
        .where('id', '=', viewer.orgId)
        .execute()
      await audit(trx, request, viewer, 'rules_update', null, body.rules ? '修改组织生活频次要求' : '恢复默认频次要求')
      return rulesReply({ ...org, rules: next ? JSON.stringify(next) : null })
    })
  })
}
