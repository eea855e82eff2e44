import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import * as contracts from '../../core/contracts/dues.ts'
import { managesBranch } from '../../core/domain/authority.ts'
import { HttpError } from '../lib/http-error.ts'
import { branchName } from '../repositories/people.ts'
import { nextSeq } from '../repositories/sequence.ts'
import { changeScope } from '../repositories/users.ts'
import { audit } from '../services/admin/audit.ts'
import { duesWorkbook } from '../services/ledgers/dues-ledger.ts'
import { sendXlsx } from '../services/ledgers/workbook.ts'
import { nowIso } from '../lib/time.ts'
import { collectsFor } from '../sync/tables/dues.ts'
import { route } from './route.ts'

/** 党费: naming a branch's 收缴员, and its yearly 党费收缴台账. */
export function duesRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.setDuesCollector, {
    access: 'manager',
    handler: async ({ request, viewer, params: { id }, body: { memberId } }) =>
      ctx.db.transaction().execute(async (trx) => {
        if (!managesBranch(viewer, id)) throw new HttpError(403, 'forbidden', '只能指定本支部的收缴员')
        const branch = await trx
          .selectFrom('branches')
          .select(['name', 'dues_collector_id'])
          .where('id', '=', id)
          .where('org_id', '=', viewer.orgId)
          .executeTakeFirst()
        if (!branch) throw new HttpError(404, 'not_found', '找不到此党支部')
        let name = '（无）'
        if (memberId) {
          const member = await trx
            .selectFrom('users')
            .select(['name', 'branch_id'])
            .where('id', '=', memberId)
            .where('org_id', '=', viewer.orgId)
            .where('removed_at', 'is', null)
            .executeTakeFirst()
          if (!member || member.branch_id !== id) throw new HttpError(422, 'validation', '收缴员应为本支部党员')
          name = member.name
        }
        if (branch.dues_collector_id === memberId) return { ok: true as const }
        await trx
          .updateTable('branches')
          .set({ dues_collector_id: memberId, updated_at: nowIso(), seq: await nextSeq(trx) })
          .where('id', '=', id)
          .execute()
        // The old 收缴员's phones lose the branch's dues, the new one's receive them.
        await changeScope(
          trx,
          [branch.dues_collector_id, memberId].filter((x): x is string => x !== null),
        )
        await audit(trx, request, viewer, 'dues_collector', id, `党支部 ${branch.name} 的党费收缴员：${name}`, { memberId })
        return { ok: true as const }
      }),
  })

  route(app, contracts.duesLedger, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { scope, file } }) => {
      if (!managesBranch(viewer, scope) && !(await collectsFor(ctx.read, viewer, scope)))
        throw new HttpError(403, 'forbidden', '党费收缴台账由本支部书记、收缴员或管理员导出')
      const year = Number(file.slice(0, 4))
      if (year < 2000 || year > 2100) throw new HttpError(400, 'validation', '年份不正确')
      const name = await branchName(ctx.read, scope, viewer.orgId)
      if (name === null) throw new HttpError(404, 'not_found', '找不到此党支部')
      const title = `${name}${year}年党费收缴台账`
      const buf = await duesWorkbook(ctx.read, viewer.orgId, scope, year, name)
      await audit(ctx.db, request, viewer, 'export_ledger', scope, `导出台账：${title}`)
      return sendXlsx(reply, `${title}.xlsx`, buf)
    },
  })
}
