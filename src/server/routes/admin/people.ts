import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../context.ts'
import { HttpError } from '../../lib/http-error.ts'
import { REMOVE_REASON_LABELS, type IssuedCode, type MembershipEvent } from '../../../core/schemas/people.ts'
import * as contracts from '../../../core/contracts/people.ts'
import { ROLE_LABELS } from '../../../core/domain/roles.ts'
import { checkPartyDates } from '../../../core/domain/political-birthday.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { audit } from '../../services/admin/audit.ts'
import { branchOfOrg, groupOfBranch, managedPerson } from '../../services/admin/scope.ts'
import { NO_PASSWORD, personToWire, phoneTaken, recordEvent, updatePerson } from '../../services/admin/people.ts'
import { changeScope } from '../../repositories/users.ts'
import { issueActivationCode } from '../../services/admin/activation.ts'
import { createUser } from '../../repositories/organization.ts'
import { revokeRemotely } from '../../repositories/sessions.ts'
import { nowIso } from '../../lib/time.ts'
import { byPinyin, sortByName, sortOrgUnits } from '../../../core/domain/order.ts'
import {
  branchName,
  branchPeopleIds,
  duesFollowPerson,
  eraseOwnData,
  membershipEvents,
  notActivated,
  peopleOf,
  personRow,
} from '../../repositories/people.ts'
import { route } from '../route.ts'
import { isAdmin } from '../../../core/domain/authority.ts'

const today = () => chinaToday(new Date())

/**
 * People, as administrators (the whole organisation) and branch secretaries (their own branch)
 * manage them. Every act is authorised here and written to the audit log in the same transaction.
 */
export function peopleRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.people, {
    access: 'manager',
    handler: async ({ viewer }) => {
      const rows = sortByName(await peopleOf(ctx.read, viewer.orgId, isAdmin(viewer.role) ? null : (viewer.branchId ?? '')))
      return { people: rows.map(personToWire) }
    },
  })

  route(app, contracts.createPerson, {
    access: 'manager',
    handler: async ({ request, viewer, body: input }) => {
      if (!isAdmin(viewer.role) && (input.role !== 'member' || input.branchId !== viewer.branchId)) {
        throw new HttpError(403, 'forbidden', '党支部书记只能在本支部新增党员')
      }
      if (input.role !== 'admin' && !input.branchId) throw new HttpError(422, 'validation', '请选择所在党支部')
      const problem = checkPartyDates(input.joinedPartyOn, input.fullMemberOn, today())
      if (problem) throw new HttpError(422, 'validation', problem)
      return ctx.db.transaction().execute(async (trx) => {
        if (input.branchId) {
          const b = await branchOfOrg(trx, viewer, input.branchId)
          if (b.archived === 1) throw new HttpError(422, 'validation', '该党支部已撤销')
        }
        await groupOfBranch(trx, viewer, input.groupId, input.branchId)
        if (await phoneTaken(trx, input.phone)) throw new HttpError(409, 'conflict', '该手机号已有账号')
        const id = await createUser(trx, {
          orgId: viewer.orgId,
          branchId: input.branchId,
          name: input.name,
          phone: input.phone,
          role: input.role,
          passwordHash: NO_PASSWORD,
          activated: false,
          status: input.status,
          groupId: input.groupId,
          note: input.note,
          leadership: input.leadership,
          committee: input.committee,
          joinedPartyOn: input.joinedPartyOn,
          fullMemberOn: input.fullMemberOn,
        })
        await recordEvent(trx, {
          orgId: viewer.orgId,
          userId: id,
          kind: 'join',
          from: null,
          to: input.branchId,
          date: today(),
          note: '新增',
          actorId: viewer.id,
        })
        const code = await issueActivationCode(trx, id, viewer.id)
        await audit(trx, request, viewer, 'person_create', id, `新增${ROLE_LABELS[input.role]}：${input.name}`)
        const person = await personRow(trx, id)
        const issued: IssuedCode = {
          userId: id,
          name: input.name,
          phone: input.phone,
          branchName: await branchName(trx, input.branchId),
          ...code,
        }
        return { person: personToWire(person), activation: issued }
      })
    },
  })

  route(app, contracts.updatePerson, {
    access: 'viewer',
    handler: async ({ request, viewer, params: { id }, body: patch }) => {
      return ctx.db.transaction().execute(async (trx) => {
        const person = await managedPerson(trx, viewer, id)
        if (patch.leadership !== undefined && !isAdmin(viewer.role)) throw new HttpError(403, 'forbidden', '只有管理员可以设置领导班子成员')
        if (patch.phone && (await phoneTaken(trx, patch.phone, id))) throw new HttpError(409, 'conflict', '该手机号已有账号')
        if (patch.groupId !== undefined) await groupOfBranch(trx, viewer, patch.groupId, person.branch_id)
        const joined = patch.joinedPartyOn !== undefined ? patch.joinedPartyOn : person.joined_party_on
        const full = patch.fullMemberOn !== undefined ? patch.fullMemberOn : person.full_member_on
        const problem = checkPartyDates(joined, full, today())
        if (problem) throw new HttpError(422, 'validation', problem)
        await updatePerson(trx, id, {
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.phone !== undefined && { phone: patch.phone }),
          ...(patch.groupId !== undefined && { group_id: patch.groupId }),
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.note !== undefined && { note: patch.note }),
          ...(patch.leadership !== undefined && { leadership: patch.leadership ? 1 : 0 }),
          ...(patch.committee !== undefined && { committee: patch.committee ? 1 : 0 }),
          joined_party_on: joined,
          full_member_on: full,
        })
        // On or off the branch committee: the year's review papers and grades the person may read change (docs/review-ballots.md).
        if (patch.committee !== undefined && (patch.committee ? 1 : 0) !== person.committee) await changeScope(trx, [id])
        await audit(trx, request, viewer, 'person_update', id, `修改人员信息：${person.name}（${Object.keys(patch).join('、')}）`, {
          fields: Object.keys(patch),
        })
        return { person: personToWire(await personRow(trx, id)) }
      })
    },
  })

  route(app, contracts.setRole, {
    access: 'admin',
    handler: async ({ request, viewer, params: { id }, body: { role } }) => {
      if (id === viewer.id) throw new HttpError(422, 'validation', '不能变更自己的角色，请由另一位管理员操作')
      return ctx.db.transaction().execute(async (trx) => {
        const person = await managedPerson(trx, viewer, id)
        if (role === 'secretary' && !person.branch_id) throw new HttpError(422, 'validation', '请先为此人指定所在党支部')
        if (person.role === role) return { person: personToWire(person) }
        await updatePerson(trx, id, { role })
        await changeScope(trx, [id])
        await audit(trx, request, viewer, 'person_role', id, `${person.name}：${ROLE_LABELS[person.role]} → ${ROLE_LABELS[role]}`, {
          from: person.role,
          to: role,
        })
        return { person: personToWire(await personRow(trx, id)) }
      })
    },
  })

  route(app, contracts.movePerson, {
    access: 'admin',
    handler: async ({ request, viewer, params: { id }, body: input }) => {
      if (id === viewer.id) throw new HttpError(422, 'validation', '不能调整自己的组织关系，请由另一位管理员操作')
      return ctx.db.transaction().execute(async (trx) => {
        const person = await managedPerson(trx, viewer, id)
        const to = await branchOfOrg(trx, viewer, input.branchId)
        if (to.archived === 1) throw new HttpError(422, 'validation', '该党支部已撤销')
        if (person.branch_id === to.id) throw new HttpError(422, 'validation', '此人已在该党支部')
        // The old branch's people must lose this person's row from their devices, and the person the old branch's.
        const oldBranchPeople = person.branch_id ? await branchPeopleIds(trx, person.branch_id) : []
        await updatePerson(trx, id, {
          branch_id: to.id,
          group_id: null,
          committee: 0,
          ...(person.role === 'secretary' && { role: 'member' }),
        })
        await changeScope(trx, [id, ...oldBranchPeople.filter((p) => p !== id)])
        await duesFollowPerson(trx, id, to.id)
        await recordEvent(trx, {
          orgId: viewer.orgId,
          userId: id,
          kind: input.kind,
          from: person.branch_id,
          to: to.id,
          date: input.date,
          note: input.note,
          actorId: viewer.id,
        })
        await audit(trx, request, viewer, 'person_move', id, `${person.name} 调整到 ${to.name}（${input.date}）`, {
          from: person.branch_id,
          to: to.id,
        })
        return { person: personToWire(await personRow(trx, id)) }
      })
    },
  })

  route(app, contracts.removePerson, {
    access: 'admin',
    handler: async ({ request, viewer, params: { id }, body: input }) => {
      if (id === viewer.id) throw new HttpError(422, 'validation', '不能移除自己')
      return ctx.db.transaction().execute(async (trx) => {
        const person = await managedPerson(trx, viewer, id)
        // Personal data goes; the row stays, anonymised, so counts in ledgers still add up.
        await updatePerson(trx, id, {
          name: '已移除人员',
          phone: `removed-${id}`,
          password_hash: NO_PASSWORD,
          note: '',
          joined_party_on: null,
          full_member_on: null,
          group_id: null,
          leadership: 0,
          committee: 0,
          removed_at: nowIso(),
        })
        await eraseOwnData(trx, id)
        await duesFollowPerson(trx, id, null)
        await revokeRemotely(trx, { userId: id })
        await recordEvent(trx, {
          orgId: viewer.orgId,
          userId: id,
          kind: input.reason,
          from: person.branch_id,
          to: null,
          date: input.date,
          note: input.note,
          actorId: viewer.id,
        })
        await audit(
          trx,
          request,
          viewer,
          'person_remove',
          id,
          `移除人员：${person.name}（${REMOVE_REASON_LABELS[input.reason]}，${input.date}）`,
          { reason: input.reason },
        )
        return { removed: true }
      })
    },
  })

  route(app, contracts.issueActivation, {
    access: 'viewer',
    handler: async ({ request, viewer, params: { id } }) => {
      return ctx.db.transaction().execute(async (trx) => {
        const person = await managedPerson(trx, viewer, id)
        if (person.role === 'admin' && !isAdmin(viewer.role)) throw new HttpError(404, 'not_found', '找不到此人员')
        const code = await issueActivationCode(trx, id, viewer.id)
        await audit(trx, request, viewer, 'activation_issue', id, `为 ${person.name} 发放激活码（设置或重置密码）`)
        const issued: IssuedCode = {
          userId: id,
          name: person.name,
          phone: person.phone,
          branchName: await branchName(trx, person.branch_id),
          ...code,
        }
        return { activation: issued }
      })
    },
  })

  // A fresh batch of codes for everyone in scope who has not activated yet (codes are shown once:
  // a lost list, or one that expired, is replaced by a new one; earlier codes of these people end).
  route(app, contracts.issueBatch, {
    access: 'manager',
    handler: async ({ request, viewer, body: { branchId } }) => {
      if (!isAdmin(viewer.role) && branchId !== undefined && branchId !== viewer.branchId)
        throw new HttpError(403, 'forbidden', '只能为本支部的人员发放激活码')
      const only = isAdmin(viewer.role) ? branchId : (viewer.branchId ?? '')
      return ctx.db.transaction().execute(async (trx) => {
        if (only) await branchOfOrg(trx, viewer, only)
        const people = await notActivated(trx, viewer.orgId, { branchId: only, withAdmins: isAdmin(viewer.role) })
        const order = sortOrgUnits([
          ...new Map(
            people.filter((p) => p.branch_id).map((p) => [p.branch_id ?? '', { id: p.branch_id ?? '', name: p.branch_name ?? '' }]),
          ).values(),
        ]).map((b) => b.id)
        people.sort((a, b) => order.indexOf(a.branch_id ?? '') - order.indexOf(b.branch_id ?? '') || byPinyin(a.name, b.name))
        const activations: IssuedCode[] = []
        for (const p of people)
          activations.push({
            userId: p.id,
            name: p.name,
            phone: p.phone,
            branchName: p.branch_name,
            ...(await issueActivationCode(trx, p.id, viewer.id)),
          })
        if (activations.length)
          await audit(
            trx,
            request,
            viewer,
            'activation_issue',
            only ?? null,
            `为尚未激活的 ${activations.length} 人重新发放激活码（批量）`,
            {
              count: activations.length,
            },
          )
        return { activations }
      })
    },
  })

  route(app, contracts.signOutPerson, {
    access: 'admin',
    handler: async ({ request, viewer, params: { id } }) => {
      if (id === viewer.id) throw new HttpError(422, 'validation', '本人的设备请在“我的 › 登录设备”中管理')
      return ctx.db.transaction().execute(async (trx) => {
        const person = await managedPerson(trx, viewer, id)
        const n = await revokeRemotely(trx, { userId: id })
        await audit(trx, request, viewer, 'sessions_revoke', id, `退出 ${person.name} 的全部设备（${n} 台）`, { sessions: n })
        return { signedOut: n }
      })
    },
  })

  route(app, contracts.personEvents, {
    access: 'viewer',
    handler: async ({ viewer, params: { id } }) => {
      await managedPerson(ctx.read, viewer, id)
      const rows = await membershipEvents(ctx.read, id)
      const events: MembershipEvent[] = rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        fromBranch: r.from_name,
        toBranch: r.to_name,
        date: r.date,
        note: r.note,
        at: r.at,
      }))
      return { events }
    },
  })
}
