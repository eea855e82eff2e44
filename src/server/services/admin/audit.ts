import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { appendAudit } from '../../repositories/audit-log.ts'

export { AUDIT_ACTIONS, type AuditAction } from '../../repositories/audit-log.ts'
import type { AuditAction } from '../../repositories/audit-log.ts'

/**
 * Append one entry to the audit log, inside the transaction of the act it records (so there is
 * no act without its entry). The log has no update or delete path anywhere in the code.
 */
export async function audit(
  trx: Kysely<Database>,
  request: FastifyRequest,
  viewer: Viewer,
  action: AuditAction,
  targetId: string | null,
  summary: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await auditAs(trx, request, { orgId: viewer.orgId, actorId: viewer.id }, action, targetId, summary, detail)
}

/**
 * An entry for an act with no session yet (a login, a failed one): the person it concerns as
 * actor, or, for an account that does not exist, nobody ('') in the database's organisation.
 */
export async function auditAs(
  trx: Kysely<Database>,
  request: FastifyRequest,
  who: { orgId: string | null; actorId: string | null },
  action: AuditAction,
  targetId: string | null,
  summary: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const orgId = who.orgId ?? (await trx.selectFrom('organizations').select('id').orderBy('created_at').executeTakeFirst())?.id
  if (!orgId) return
  await appendAudit(trx, {
    orgId,
    actorId: who.actorId ?? '',
    action,
    targetId,
    summary,
    detail,
    device: String(request.headers['user-agent'] ?? ''),
    ip: request.ip,
  })
}
