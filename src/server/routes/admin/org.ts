import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../context.ts'
import { updatePerson } from '../../services/admin/people.ts'
import { HttpError } from '../../lib/http-error.ts'
import type { AuditEntry } from '../../../core/schemas/people.ts'
import * as contracts from '../../../core/contracts/org.ts'
import { AUDIT_ACTIONS, audit } from '../../services/admin/audit.ts'
import { branchOfOrg } from '../../services/admin/scope.ts'
import { managesBranch } from '../../../core/domain/authority.ts'
import { createBranch } from '../../repositories/organization.ts'
import {
  auditPage,
  branchesOf,
  branchHasPeople,
  branchNamed,
  createGroup,
  groupMemberIds,
  groupOfOrg,
  groupsChanged,
  groupsOf,
  memberCounts,
  onboardingCounts,
  organizationName,
  updateBranch,
  updateGroup,
} from '../../repositories/org-units.ts'
import { sortOrgUnits } from '../../../core/domain/order.ts'
import { route } from '../route.ts'

/** The audit log's actions as people read them (an action no longer named shows as stored). */
const ACTION_LABELS = new Map<string, string>(Object.entries(AUDIT_ACTIONS))

/** The organisation tree (机关党委 → 党支部 → 党小组) and the audit log. */
export function orgRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.orgTree, {
    access: 'manager',
    handler: async ({ viewer }) => {
      const orgName = await organizationName(ctx.read, viewer.orgId)
      const branches = sortOrgUnits(await branchesOf(ctx.read, viewer.orgId)).filter((b) => managesBranch(viewer, b.id))
      const groups = sortOrgUnits(await groupsOf(ctx.read, viewer.orgId))
      const counts = await memberCounts(ctx.read, viewer.orgId)
      return {
        orgName,
        branches: branches.map((b) => ({
          id: b.id,
          name: b.name,
          archived: b.archived === 1,
          members: counts.find((c) => c.branchId === b.id)?.n ?? 0,
          groups: groups.filter((g) => g.branch_id === b.id).map((g) => ({ id: g.id, name: g.name, archived: g.archived === 1 })),
        })),
      }
    },
  })

  route(app, contracts.createBranch, {
    access: 'admin',
    handler: async ({ request, viewer, body: { name } }) =>
      ctx.db.transaction().execute(async (trx) => {
        if (await branchNamed(trx, viewer.orgId, name)) throw new HttpError(409, 'conflict', '已有同名党支部')
        const id = await createBranch(trx, viewer.orgId, name)
        await audit(trx, request, viewer, 'branch_create', id, `新增党支部：${name}`)
        return { id }
      }),
  })

  route(app, contracts.updateBranch, {
    access: 'admin',
    handler: async ({ request, viewer, params: { id }, body: patch }) =>
      ctx.db.transaction().execute(async (trx) => {
        const b = await branchOfOrg(trx, viewer, id)
        if (patch.name && patch.name !== b.name && (await branchNamed(trx, viewer.orgId, patch.name)))
          throw new HttpError(409, 'conflict', '已有同名党支部')
        if (patch.archived === true && (await branchHasPeople(trx, id)))
          throw new HttpError(422, 'validation', '该支部还有人员，请先将他们调整到其他支部')
        await updateBranch(trx, id, patch)
        const what = [
          patch.name && patch.name !== b.name ? `更名为 ${patch.name}` : '',
          patch.archived === true ? '撤销（记录保留）' : patch.archived === false ? '恢复' : '',
        ]
          .filter(Boolean)
          .join('，')
        await audit(trx, request, viewer, 'branch_update', id, `党支部 ${b.name}：${what || '无变化'}`, { ...patch })
        return { ok: true }
      }),
  })

  route(app, contracts.createGroup, {
    access: 'manager',
    handler: async ({ request, viewer, body: input }) => {
      if (!managesBranch(viewer, input.branchId)) throw new HttpError(403, 'forbidden', '只能管理本支部的党小组')
      return ctx.db.transaction().execute(async (trx) => {
        const b = await branchOfOrg(trx, viewer, input.branchId)
        const id = await createGroup(trx, viewer.orgId, b.id, input.name)
        await groupsChanged(trx, b.id)
        await audit(trx, request, viewer, 'group_create', id, `${b.name} 新增党小组：${input.name}`)
        return { id }
      })
    },
  })

  route(app, contracts.updateGroup, {
    access: 'manager',
    handler: async ({ request, viewer, params: { id }, body: patch }) =>
      ctx.db.transaction().execute(async (trx) => {
        const g = await groupOfOrg(trx, viewer.orgId, id)
        if (!g || !managesBranch(viewer, g.branch_id)) throw new HttpError(404, 'not_found', '找不到此党小组')
        await updateGroup(trx, id, patch)
        if (patch.archived === true) {
          // Its members leave the group on every phone too (new numbers: the rows are pulled again).
          for (const userId of await groupMemberIds(trx, id)) await updatePerson(trx, userId, { group_id: null })
        }
        await groupsChanged(trx, g.branch_id)
        await audit(
          trx,
          request,
          viewer,
          'group_update',
          id,
          `党小组 ${g.name}：${patch.name ? `更名为 ${patch.name}` : ''}${patch.archived ? '撤销' : ''}`,
          { ...patch },
        )
        return { ok: true }
      }),
  })

  // The new administrator's first steps (新增党支部 → 导入花名册 → 发放激活码) and how far they are.
  route(app, contracts.onboarding, {
    access: 'admin',
    handler: async ({ viewer }) => {
      const c = await onboardingCounts(ctx.read, viewer.orgId)
      return { branches: c.branches, people: c.people, notActivated: c.notActivated, withoutCode: c.notActivated - c.withCode }
    },
  })

  route(app, contracts.auditLog, {
    access: 'admin',
    handler: async ({ viewer, query: { before } }) => {
      const rows = await auditPage(ctx.read, viewer.orgId, before)
      const entries: AuditEntry[] = rows.map((r) => ({ ...r, action: ACTION_LABELS.get(r.action) ?? r.action }))
      return { entries }
    },
  })
}
