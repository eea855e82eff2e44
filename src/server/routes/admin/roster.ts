import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { AppContext } from '../../context.ts'
import type { Database } from '../../db/schema.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { HttpError } from '../../lib/http-error.ts'
import type { ImportRequest, IssuedCode } from '../../../core/schemas/people.ts'
import * as contracts from '../../../core/contracts/org.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { NEW_PREFIX, readRoster, RosterFileError, validateRoster, type RawRoster } from '../../services/admin/roster.ts'
import { OneAtATime } from '../../services/admin/roster-limits.ts'
import { audit } from '../../services/admin/audit.ts'
import { issueActivationCode } from '../../services/admin/activation.ts'
import { NO_PASSWORD, recordEvent } from '../../services/admin/people.ts'
import { createBranch, createUser } from '../../repositories/organization.ts'
import { activeBranches, activeBranchId, activeGroups, createGroup, groupsChanged } from '../../repositories/org-units.ts'
import { takenPhones } from '../../repositories/people.ts'
import { route } from '../route.ts'
import { isAdmin } from '../../../core/domain/authority.ts'

const reading = new OneAtATime()

/** The uploaded roster's rows, read within the limits of roster-limits.ts, one upload at a time. */
async function readUpload(input: ImportRequest): Promise<RawRoster> {
  try {
    return await reading.run(() => readRoster(input.fileName, Buffer.from(input.content, 'base64')))
  } catch (err) {
    if (err instanceof RosterFileError)
      throw new HttpError(err.tooLarge ? 413 : 422, err.tooLarge ? 'payload_too_large' : 'validation', err.message)
    throw err
  }
}

async function check(db: Kysely<Database>, viewer: Viewer, raw: RawRoster): Promise<ReturnType<typeof validateRoster>> {
  const branches = await activeBranches(db, viewer.orgId)
  const groups = await activeGroups(db, viewer.orgId)
  const existingPhones = await takenPhones(db)
  const own = isAdmin(viewer.role) ? null : branches.find((b) => b.id === viewer.branchId)
  if (!isAdmin(viewer.role) && !own) throw new HttpError(403, 'forbidden', '您尚未分配党支部')
  return validateRoster(raw, {
    today: chinaToday(new Date()),
    branches: new Map(branches.map((b) => [b.name, b.id])),
    groups: new Map(groups.map((g) => [`${g.branch_id}/${g.name}`, g.id])),
    existingPhones,
    onlyBranch: own ? { id: own.id, name: own.name } : null,
    mayCreateBranches: isAdmin(viewer.role),
  })
}

/**
 * Onboarding from the roster a secretary already has: preview lists every row's problems and
 * writes nothing; apply writes all rows in one transaction or none, and hands back a one-time
 * activation code per new member.
 */
export function rosterRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.previewImport, {
    access: 'manager',
    handler: async ({ viewer, body }) => {
      const { rows, problems, notices, create } = await check(ctx.read, viewer, await readUpload(body))
      return { rows: rows.map(({ branchId: _b, groupId: _g, ...r }) => r), problems, notices, create }
    },
  })

  route(app, contracts.applyImport, {
    access: 'manager',
    handler: async ({ request, viewer, body: input }) => {
      // The file is read before the transaction opens: no write waits on parsing.
      const raw = await readUpload(input)
      return ctx.db.transaction().execute(async (trx) => {
        const { rows, problems, create } = await check(trx, viewer, raw)
        if (problems.length > 0)
          throw new HttpError(422, 'validation', `花名册有 ${problems.length} 处问题，未写入任何数据。请修改后重新上传。`)
        if ((create.branches.length > 0 || create.groups.length > 0) && input.createMissing !== true) {
          throw new HttpError(
            422,
            'validation',
            `花名册中有 ${create.branches.length} 个党支部、${create.groups.length} 个党小组尚未建立，请在检查结果中确认一并新建后再导入`,
          )
        }
        // The branches and groups the file names, created in the same transaction as the people (all or nothing).
        const made = new Map<string, string>()
        for (const name of create.branches) {
          const id = await createBranch(trx, viewer.orgId, name)
          made.set(`${NEW_PREFIX}${name}`, id)
          await audit(trx, request, viewer, 'branch_create', id, `新增党支部：${name}（花名册导入）`)
        }
        for (const g of create.groups) {
          const branchId = made.get(`${NEW_PREFIX}${g.branch}`) ?? (await activeBranchId(trx, viewer.orgId, g.branch))
          const id = await createGroup(trx, viewer.orgId, branchId, g.group)
          await groupsChanged(trx, branchId)
          made.set(`${NEW_PREFIX}${g.branch}/${g.group}`, id)
          await audit(trx, request, viewer, 'group_create', id, `${g.branch} 新增党小组：${g.group}（花名册导入）`)
        }
        const real = (id: string) => made.get(id) ?? id
        const today = chinaToday(new Date())
        const codes: IssuedCode[] = []
        for (const r of rows) {
          const branchId = real(r.branchId)
          const id = await createUser(trx, {
            orgId: viewer.orgId,
            branchId,
            name: r.name,
            phone: r.phone,
            role: 'member',
            passwordHash: NO_PASSWORD,
            activated: false,
            status: r.status,
            groupId: r.groupId === null ? null : real(r.groupId),
            note: r.note,
            joinedPartyOn: r.joinedPartyOn,
            fullMemberOn: r.fullMemberOn,
          })
          await recordEvent(trx, {
            orgId: viewer.orgId,
            userId: id,
            kind: 'join',
            from: null,
            to: branchId,
            date: today,
            note: '花名册导入',
            actorId: viewer.id,
          })
          codes.push({ userId: id, name: r.name, phone: r.phone, branchName: r.branch, ...(await issueActivationCode(trx, id, viewer.id)) })
        }
        await audit(trx, request, viewer, 'import_apply', null, `导入花名册 ${input.fileName.slice(0, 80)}：${rows.length} 人`, {
          count: rows.length,
        })
        return { created: rows.length, branchesCreated: create.branches.length, groupsCreated: create.groups.length, activations: codes }
      })
    },
  })
}
