import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { AppContext } from '../context.ts'
import type { Database } from '../db/schema.ts'
import { HttpError } from '../lib/http-error.ts'
import type { Viewer } from '../lib/viewer.ts'
import * as contracts from '../../core/contracts/training.ts'
import { isAdmin, isManager, managesBranch } from '../../core/domain/authority.ts'
import { chinaToday } from '../../core/domain/china-time.ts'
import { probationsDue } from '../../core/domain/probation.ts'
import { branchName } from '../repositories/people.ts'
import { audit } from '../services/admin/audit.ts'
import { sendXlsx } from '../services/ledgers/workbook.ts'
import { trainingWorkbook } from '../services/ledgers/training-ledger.ts'
import { trainingFlagsOf, trainingSettingsOf } from '../services/training/training-data.ts'
import { nowIso } from '../lib/time.ts'
import { route } from './route.ts'

/** Whose flags and probations the viewer sees: their own; a secretary their branch; an administrator everyone. */
async function peopleSeen(db: Kysely<Database>, viewer: Viewer) {
  let q = db
    .selectFrom('users')
    .select(['id', 'name', 'status', 'joined_party_on', 'full_member_on'])
    .where('org_id', '=', viewer.orgId)
    .where('removed_at', 'is', null)
  if (!isAdmin(viewer.role)) {
    const branch = isManager(viewer.role) ? viewer.branchId : null
    q = branch ? q.where((eb) => eb.or([eb('branch_id', '=', branch), eb('id', '=', viewer.id)])) : q.where('id', '=', viewer.id)
  }
  return q.execute()
}

async function trainingReply(db: Kysely<Database>, viewer: Viewer): Promise<contracts.TrainingReply> {
  const { settings, custom } = await trainingSettingsOf(db, viewer.orgId)
  const people = await peopleSeen(db, viewer)
  const flags = await trainingFlagsOf(
    db,
    viewer.orgId,
    people.map((p) => p.id),
  )
  const probations = isManager(viewer.role)
    ? probationsDue(
        people.map((p) => ({ id: p.id, name: p.name, status: p.status, joinedPartyOn: p.joined_party_on, fullMemberOn: p.full_member_on })),
        chinaToday(new Date()),
      )
    : []
  return { settings, custom, flags: Object.fromEntries(flags), probations }
}

/** 学时: the settings, members' flags and the 预备期满 list (one answer, kept on the phone), and the 学时 ledger. */
export function trainingRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.training, {
    access: 'viewer',
    handler: async ({ viewer }) => trainingReply(ctx.read, viewer),
  })

  route(app, contracts.setTraining, {
    access: 'admin',
    handler: async ({ request, viewer, body }) =>
      ctx.db.transaction().execute(async (trx) => {
        const stored = body.settings
          ? JSON.stringify({ types: [...new Set(body.settings.types)], minutesPerHour: body.settings.minutesPerHour })
          : null
        await trx.updateTable('organizations').set({ training: stored }).where('id', '=', viewer.orgId).execute()
        await audit(trx, request, viewer, 'training_update', null, body.settings ? '修改学时设置' : '恢复默认学时设置')
        return trainingReply(trx, viewer)
      }),
  })

  route(app, contracts.setTrainingFlags, {
    access: 'manager',
    handler: async ({ request, viewer, params: { id }, body }) => {
      const person = await ctx.read
        .selectFrom('users')
        .select(['name', 'org_id', 'branch_id', 'removed_at'])
        .where('id', '=', id)
        .executeTakeFirst()
      // Another branch's person is not revealed to a secretary: not found, as on the people pages.
      if (!person || person.org_id !== viewer.orgId || person.removed_at || !managesBranch(viewer, person.branch_id))
        throw new HttpError(404, 'not_found', '找不到此人')
      await ctx.db.transaction().execute(async (trx) => {
        const row = {
          org_id: viewer.orgId,
          cadre: body.cadre ? 1 : 0,
          exempt: body.exempt ? 1 : 0,
          updated_by: viewer.id,
          updated_at: nowIso(),
        }
        await trx
          .insertInto('training_profiles')
          .values({ user_id: id, ...row })
          .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
          .execute()
        const what = [body.cadre ? '乡科级及以下干部' : '', body.exempt ? '不作硬性要求' : ''].filter(Boolean).join('、') || '无'
        await audit(trx, request, viewer, 'training_flags', id, `学时标记：${person.name}（${what}）`)
      })
      return { ok: true as const }
    },
  })

  route(app, contracts.trainingLedger, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { scope, file } }) => {
      if (scope === 'leadership' || !managesBranch(viewer, scope)) throw new HttpError(403, 'forbidden', '只能导出本支部的学时台账')
      const year = Number(file.slice(0, 4))
      if (year < 2000 || year > 2100) throw new HttpError(400, 'validation', '年份不正确')
      const name = await branchName(ctx.read, scope, viewer.orgId)
      if (name === null) throw new HttpError(404, 'not_found', '找不到此党支部')
      const title = `${name}${year}年学时台账`
      const buf = await trainingWorkbook(ctx.read, viewer.orgId, scope, year, name)
      await audit(ctx.db, request, viewer, 'export_ledger', scope, `导出台账：${title}`)
      return sendXlsx(reply, `${title}.xlsx`, buf)
    },
  })
}
