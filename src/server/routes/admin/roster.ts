import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { AppContext } from '../../context.ts'
import type { Database } from '../../db/schema.ts'
import type { Viewer } from '../../sync/viewer.ts'
import { HttpError, parseInput } from '../../lib/http-error.ts'
import { requireViewer } from '../../plugins/auth.ts'
import { ImportRequest, type ImportPreview, type IssuedCode } from '../../../core/schemas/people.ts'
import { chinaToday } from '../../../core/domain/political-birthday.ts'
import { readRoster, RosterFileError, validateRoster, type RawRoster, type ValidRow } from '../../admin/roster.ts'
import { OneAtATime } from '../../admin/roster-limits.ts'
import { requireManager } from '../../admin/scope.ts'
import { audit } from '../../admin/audit.ts'
import { issueActivationCode } from '../../admin/activation.ts'
import { NO_PASSWORD, recordEvent } from '../../admin/people.ts'
import { createUser } from '../../repositories/organization.ts'

const reading = new OneAtATime()

/** The uploaded roster's rows, read within the limits of roster-limits.ts, one upload at a time. */
async function readUpload(viewer: Viewer, request: FastifyRequest): Promise<RawRoster> {
  requireManager(viewer)
  const input = parseInput(ImportRequest, request.body)
  try {
    return await reading.run(() => readRoster(input.fileName, Buffer.from(input.content, 'base64')))
  } catch (err) {
    if (err instanceof RosterFileError) throw new HttpError(err.tooLarge ? 413 : 422, err.tooLarge ? 'payload_too_large' : 'validation', err.message)
    throw err
  }
}

async function check(db: Kysely<Database>, viewer: Viewer, raw: RawRoster): Promise<{ rows: ValidRow[]; problems: ImportPreview['problems'] }> {
  const branches = await db.selectFrom('branches').select(['id', 'name']).where('org_id', '=', viewer.orgId).where('archived', '=', 0).execute()
  const groups = await db.selectFrom('party_groups').select(['id', 'branch_id', 'name']).where('org_id', '=', viewer.orgId).where('archived', '=', 0).execute()
  const phones = await db.selectFrom('users').select('phone').execute()
  const own = viewer.role === 'admin' ? null : branches.find((b) => b.id === viewer.branchId)
  if (viewer.role !== 'admin' && !own) throw new HttpError(403, 'forbidden', '您尚未分配党支部')
  return validateRoster(raw, {
    today: chinaToday(new Date()),
    branches: new Map(branches.map((b) => [b.name, b.id])),
    groups: new Map(groups.map((g) => [`${g.branch_id}/${g.name}`, g.id])),
    existingPhones: new Set(phones.map((p) => p.phone)),
    onlyBranch: own ? { id: own.id, name: own.name } : null,
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
    const { rows, problems } = await check(ctx.read, viewer, await readUpload(viewer, request))
    return { rows: rows.map(({ branchId: _b, groupId: _g, ...r }) => r), problems }
  })

  app.post('/api/admin/import/apply', async (request) => {
    const viewer = requireViewer(request)
    // The file is read before the transaction opens: no write waits on parsing.
    const raw = await readUpload(viewer, request)
    return ctx.db.transaction().execute(async (trx) => {
      const { rows, problems } = await check(trx, viewer, raw)
      if (problems.length > 0) throw new HttpError(422, 'validation', `花名册有 ${problems.length} 处问题，未写入任何数据。请修改后重新上传。`)
      const today = chinaToday(new Date())
      const codes: IssuedCode[] = []
      for (const r of rows) {
        const id = await createUser(trx, {
          orgId: viewer.orgId,
          branchId: r.branchId,
          name: r.name,
          phone: r.phone,
          role: 'member',
          passwordHash: NO_PASSWORD,
          activated: false,
          status: r.status,
          groupId: r.groupId,
          note: r.note,
          joinedPartyOn: r.joinedPartyOn,
          fullMemberOn: r.fullMemberOn,
        })
        await recordEvent(trx, { orgId: viewer.orgId, userId: id, kind: 'join', from: null, to: r.branchId, date: today, note: '花名册导入', actorId: viewer.id })
        codes.push({ userId: id, name: r.name, phone: r.phone, ...(await issueActivationCode(trx, id, viewer.id)) })
      }
      const input = parseInput(ImportRequest, request.body)
      await audit(trx, request, viewer, 'import_apply', null, `导入花名册 ${input.fileName.slice(0, 80)}：${rows.length} 人`, { count: rows.length })
      return { created: rows.length, activations: codes }
    })
  })
}
