import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { AppContext } from '../../context.ts'
import type { Database } from '../../db/schema.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { HttpError, parseInput } from '../../lib/http-error.ts'
import { requireViewer } from '../../plugins/auth.ts'
import { ImportRequest, type ImportPreview, type IssuedCode } from '../../../core/schemas/people.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { NEW_PREFIX, readRoster, RosterFileError, validateRoster, type RawRoster } from '../../services/admin/roster.ts'
import { OneAtATime } from '../../services/admin/roster-limits.ts'
import { requireManager } from '../../services/admin/scope.ts'
import { audit } from '../../services/admin/audit.ts'
import { issueActivationCode } from '../../services/admin/activation.ts'
import { NO_PASSWORD, recordEvent } from '../../services/admin/people.ts'
import { createBranch, createUser } from '../../repositories/organization.ts'
import { nextSeq } from '../../repositories/sequence.ts'
import { newId } from '../../../core/ids.ts'
import { nowIso } from '../../lib/time.ts'

const reading = new OneAtATime()

/** The uploaded roster's rows, read within the limits of roster-limits.ts, one upload at a time. */
async function readUpload(viewer: Viewer, request: FastifyRequest): Promise<RawRoster> {
  requireManager(viewer)
  const input = parseInput(ImportRequest, request.body)
  try {
    return await reading.run(() => readRoster(input.fileName, Buffer.from(input.content, 'base64')))
  } catch (err) {
    if (err instanceof RosterFileError)
      throw new HttpError(err.tooLarge ? 413 : 422, err.tooLarge ? 'payload_too_large' : 'validation', err.message)
    throw err
  }
}

async function check(db: Kysely<Database>, viewer: Viewer, raw: RawRoster): Promise<ReturnType<typeof validateRoster>> {
  const branches = await db
    .selectFrom('branches')
    .select(['id', 'name'])
    .where('org_id', '=', viewer.orgId)
    .where('archived', '=', 0)
    .execute()
  const groups = await db
    .selectFrom('party_groups')
    .select(['id', 'branch_id', 'name'])
    .where('org_id', '=', viewer.orgId)
    .where('archived', '=', 0)
    .execute()
  const phones = await db.selectFrom('users').select('phone').execute()
  const own = viewer.role === 'admin' ? null : branches.find((b) => b.id === viewer.branchId)
  if (viewer.role !== 'admin' && !own) throw new HttpError(403, 'forbidden', '您尚未分配党支部')
  return validateRoster(raw, {
    today: chinaToday(new Date()),
    branches: new Map(branches.map((b) => [b.name, b.id])),
    groups: new Map(groups.map((g) => [`${g.branch_id}/${g.name}`, g.id])),
    existingPhones: new Set(phones.map((p) => p.phone)),
    onlyBranch: own ? { id: own.id, name: own.name } : null,
    mayCreateBranches: viewer.role === 'admin',
  })
}

/**
 * Onboarding from the roster a secretary already has: preview lists every row's problems and
 * writes nothing; apply writes all rows in one transaction or none, and hands back a one-time
 * activation code per new member.
 */
export function rosterRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/admin/import/preview', async (request): Promise<ImportPreview> => {
    const viewer = requireViewer(request)
    const { rows, problems, notices, create } = await check(ctx.read, viewer, await readUpload(viewer, request))
    return { rows: rows.map(({ branchId: _b, groupId: _g, ...r }) => r), problems, notices, create }
  })

  app.post('/api/admin/import/apply', async (request) => {
    const viewer = requireViewer(request)
    // The file is read before the transaction opens: no write waits on parsing.
    const raw = await readUpload(viewer, request)
    return ctx.db.transaction().execute(async (trx) => {
      const { rows, problems, create } = await check(trx, viewer, raw)
      if (problems.length > 0)
        throw new HttpError(422, 'validation', `花名册有 ${problems.length} 处问题，未写入任何数据。请修改后重新上传。`)
      const input = parseInput(ImportRequest, request.body)
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
        const branchId =
          made.get(`${NEW_PREFIX}${g.branch}`) ??
          (
            await trx
              .selectFrom('branches')
              .select('id')
              .where('org_id', '=', viewer.orgId)
              .where('name', '=', g.branch)
              .where('archived', '=', 0)
              .executeTakeFirstOrThrow()
          ).id
        const id = newId()
        await trx
          .insertInto('party_groups')
          .values({ id, org_id: viewer.orgId, branch_id: branchId, name: g.group, archived: 0, updated_at: nowIso() })
          .execute()
        await trx
          .updateTable('branches')
          .set({ seq: await nextSeq(trx), updated_at: nowIso() })
          .where('id', '=', branchId)
          .execute()
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
  })
}
