import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { AppContext } from '../../context.ts'
import type { Database } from '../../db/schema.ts'
import { updatePerson } from '../../services/admin/people.ts'
import { HttpError, parseInput } from '../../lib/http-error.ts'
import { requireViewer } from '../../plugins/auth.ts'
import {
  BranchInput,
  BranchPatch,
  GroupInput,
  IdParams,
  type AuditEntry,
  type Onboarding,
  type OrgTree,
} from '../../../core/schemas/people.ts'
import { AUDIT_ACTIONS, audit, type AuditAction } from '../../services/admin/audit.ts'
import { branchOfOrg, requireAdmin, requireManager } from '../../services/admin/scope.ts'
import { managesBranch } from '../../../core/domain/authority.ts'
import { nextSeq } from '../../repositories/sequence.ts'
import { createBranch } from '../../repositories/organization.ts'
import { newId } from '../../../core/ids.ts'
import { nowIso } from '../../lib/time.ts'
import * as v from 'valibot'
import { Uuid } from '../../../core/schemas/common.ts'
import { sortOrgUnits } from '../../../core/domain/order.ts'

const AuditQuery = v.object({ before: v.optional(Uuid) })

/** A branch's groups travel with its row (党小组会 on the phone): the row gets a new number. */
async function groupsChanged(trx: Kysely<Database>, branchId: string): Promise<void> {
  await trx
    .updateTable('branches')
    .set({ seq: await nextSeq(trx), updated_at: nowIso() })
    .where('id', '=', branchId)
    .execute()
}

/** The organisation tree (机关党委 → 党支部 → 党小组) and the audit log. */
export function orgRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/admin/org', async (request): Promise<OrgTree> => {
    const viewer = requireViewer(request)
    requireManager(viewer)
    const org = await ctx.read.selectFrom('organizations').select('name').where('id', '=', viewer.orgId).executeTakeFirstOrThrow()
    const branches = sortOrgUnits(await ctx.read.selectFrom('branches').selectAll().where('org_id', '=', viewer.orgId).execute()).filter(
      (b) => managesBranch(viewer, b.id),
    )
    const groups = sortOrgUnits(await ctx.read.selectFrom('party_groups').selectAll().where('org_id', '=', viewer.orgId).execute())
    const counts = await ctx.read
      .selectFrom('users')
      .select(['branch_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_id', '=', viewer.orgId)
      .where('removed_at', 'is', null)
      .groupBy('branch_id')
      .execute()
    return {
      orgName: org.name,
      branches: branches.map((b) => ({
        id: b.id,
        name: b.name,
        archived: b.archived === 1,
        members: Number(counts.find((c) => c.branch_id === b.id)?.n ?? 0),
        groups: groups.filter((g) => g.branch_id === b.id).map((g) => ({ id: g.id, name: g.name, archived: g.archived === 1 })),
      })),
    }
  })

  app.post('/api/admin/branches', async (request) => {
    const viewer = requireViewer(request)
    requireAdmin(viewer)
    const { name } = parseInput(BranchInput, request.body)
    return ctx.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('branches')
        .select('id')
        .where('org_id', '=', viewer.orgId)
        .where('name', '=', name)
        .executeTakeFirst()
      if (taken) throw new HttpError(409, 'conflict', '已有同名党支部')
      const id = await createBranch(trx, viewer.orgId, name)
      await audit(trx, request, viewer, 'branch_create', id, `新增党支部：${name}`)
      return { id }
    })
  })

  app.post('/api/admin/branches/:id', async (request) => {
    const viewer = requireViewer(request)
    requireAdmin(viewer)
    const { id } = parseInput(IdParams, request.params)
    const patch = parseInput(BranchPatch, request.body)
    return ctx.db.transaction().execute(async (trx) => {
      const b = await branchOfOrg(trx, viewer, id)
      if (patch.name && patch.name !== b.name) {
        const taken = await trx
          .selectFrom('branches')
          .select('id')
          .where('org_id', '=', viewer.orgId)
          .where('name', '=', patch.name)
          .executeTakeFirst()
        if (taken) throw new HttpError(409, 'conflict', '已有同名党支部')
      }
      if (patch.archived === true) {
        const left = await trx
          .selectFrom('users')
          .select('id')
          .where('branch_id', '=', id)
          .where('removed_at', 'is', null)
          .executeTakeFirst()
        if (left) throw new HttpError(422, 'validation', '该支部还有人员，请先将他们调整到其他支部')
      }
      await trx
        .updateTable('branches')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.archived !== undefined && { archived: patch.archived ? 1 : 0 }),
          updated_at: nowIso(),
          seq: await nextSeq(trx),
        })
        .where('id', '=', id)
        .execute()
      const what = [
        patch.name && patch.name !== b.name ? `更名为 ${patch.name}` : '',
        patch.archived === true ? '撤销（记录保留）' : patch.archived === false ? '恢复' : '',
      ]
        .filter(Boolean)
        .join('，')
      await audit(trx, request, viewer, 'branch_update', id, `党支部 ${b.name}：${what || '无变化'}`, { ...patch })
      return { ok: true }
    })
  })

  app.post('/api/admin/groups', async (request) => {
    const viewer = requireViewer(request)
    requireManager(viewer)
    const input = parseInput(GroupInput, request.body)
    if (!managesBranch(viewer, input.branchId)) throw new HttpError(403, 'forbidden', '只能管理本支部的党小组')
    return ctx.db.transaction().execute(async (trx) => {
      const b = await branchOfOrg(trx, viewer, input.branchId)
      const id = newId()
      await trx
        .insertInto('party_groups')
        .values({ id, org_id: viewer.orgId, branch_id: b.id, name: input.name, archived: 0, updated_at: nowIso() })
        .execute()
      await groupsChanged(trx, b.id)
      await audit(trx, request, viewer, 'group_create', id, `${b.name} 新增党小组：${input.name}`)
      return { id }
    })
  })

  app.post('/api/admin/groups/:id', async (request) => {
    const viewer = requireViewer(request)
    requireManager(viewer)
    const { id } = parseInput(IdParams, request.params)
    const patch = parseInput(BranchPatch, request.body)
    return ctx.db.transaction().execute(async (trx) => {
      const g = await trx.selectFrom('party_groups').selectAll().where('id', '=', id).where('org_id', '=', viewer.orgId).executeTakeFirst()
      if (!g || !managesBranch(viewer, g.branch_id)) throw new HttpError(404, 'not_found', '找不到此党小组')
      await trx
        .updateTable('party_groups')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.archived !== undefined && { archived: patch.archived ? 1 : 0 }),
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute()
      if (patch.archived === true) {
        // Its members leave the group on every phone too (new numbers: the rows are pulled again).
        for (const u of await trx.selectFrom('users').select('id').where('group_id', '=', id).execute())
          await updatePerson(trx, u.id, { group_id: null })
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
    })
  })

  // The new administrator's first steps (新增党支部 → 导入花名册 → 发放激活码) and how far they are.
  app.get('/api/admin/onboarding', async (request): Promise<Onboarding> => {
    const viewer = requireViewer(request)
    requireAdmin(viewer)
    const branches = await ctx.read
      .selectFrom('branches')
      .select('id')
      .where('org_id', '=', viewer.orgId)
      .where('archived', '=', 0)
      .execute()
    const people = await ctx.read
      .selectFrom('users')
      .select(['id', 'activated'])
      .where('org_id', '=', viewer.orgId)
      .where('removed_at', 'is', null)
      .where('role', '!=', 'admin')
      .execute()
    const waiting = people.filter((p) => p.activated === 0).map((p) => p.id)
    const withCode = waiting.length
      ? await ctx.read
          .selectFrom('activation_codes')
          .select('user_id')
          .distinct()
          .where('user_id', 'in', waiting)
          .where('used_at', 'is', null)
          .where('expires_at', '>', nowIso())
          .execute()
      : []
    return { branches: branches.length, people: people.length, notActivated: waiting.length, withoutCode: waiting.length - withCode.length }
  })

  app.get('/api/admin/audit', async (request) => {
    const viewer = requireViewer(request)
    requireAdmin(viewer)
    const { before } = parseInput(AuditQuery, request.query)
    let q = ctx.read
      .selectFrom('audit_log')
      .innerJoin('users', 'users.id', 'audit_log.actor_id')
      .select(['audit_log.id', 'audit_log.at', 'users.name as actor', 'audit_log.action', 'audit_log.summary', 'audit_log.device'])
      .where('audit_log.org_id', '=', viewer.orgId)
    if (before) q = q.where('audit_log.id', '<', before)
    const rows = await q.orderBy('audit_log.id', 'desc').limit(100).execute()
    const entries: AuditEntry[] = rows.map((r) => ({ ...r, action: AUDIT_ACTIONS[r.action as AuditAction] ?? r.action }))
    return { entries }
  })
}
