import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { HttpError } from '../lib/http-error.ts'
import type { Viewer } from '../lib/viewer.ts'
import * as contracts from '../../core/contracts/year-report.ts'
import { isAdmin, managesBranch } from '../../core/domain/authority.ts'
import { branchName } from '../repositories/people.ts'
import { organizationName } from '../repositories/org-units.ts'
import { audit } from '../services/admin/audit.ts'
import { sendXlsx } from '../services/ledgers/workbook.ts'
import { yearReport, yearReportWorkbook } from '../services/report/year-report.ts'
import { route } from './route.ts'

/** 述职评议 pack: a branch's year for its secretary (and administrators), the organ's roll-up for administrators. */
export function yearReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  async function build(viewer: Viewer, scope: string, year: number) {
    if (scope === 'org') {
      if (!isAdmin(viewer.role)) throw new HttpError(403, 'forbidden', '全机关的汇总由管理员生成')
      return yearReport(ctx.read, viewer.orgId, { org: await organizationName(ctx.read, viewer.orgId) }, year)
    }
    if (!managesBranch(viewer, scope)) throw new HttpError(403, 'forbidden', '只能生成本支部的述职评议材料')
    const name = await branchName(ctx.read, scope, viewer.orgId)
    if (name === null) throw new HttpError(404, 'not_found', '找不到此党支部')
    return yearReport(ctx.read, viewer.orgId, { branchId: scope, name }, year)
  }

  route(app, contracts.yearReport, {
    access: 'viewer',
    handler: async ({ viewer, params: { scope, year } }) => build(viewer, scope, year),
  })

  route(app, contracts.yearReportXlsx, {
    access: 'viewer',
    handler: async ({ request, reply, viewer, params: { scope, file } }) => {
      const year = Number(file.slice(0, 4))
      if (year < 2000 || year > 2100) throw new HttpError(400, 'validation', '年份不正确')
      const report = await build(viewer, scope, year)
      await audit(ctx.db, request, viewer, 'export_ledger', scope === 'org' ? null : scope, `导出：${report.title}`)
      return sendXlsx(reply, `${report.title}.xlsx`, await yearReportWorkbook(report))
    },
  })
}
