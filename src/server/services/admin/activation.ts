import { createHash, randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { ACTIVATION_ALPHABET } from '../../../core/schemas/people.ts'
import { nowIso } from '../../lib/time.ts'

export const ACTIVATION_DAYS = 14
const hash = (code: string) => createHash('sha256').update(code).digest('base64url')

/**
 * A one-time code for a person to set their own password (new member, or a reset). Only its hash
 * is kept; issuing a new one ends the person's earlier codes. Nobody but the person ever sees
 * or chooses their password.
 */
export async function issueActivationCode(
  trx: Kysely<Database>,
  userId: string,
  actorId: string,
): Promise<{ code: string; expiresAt: string }> {
  let code = ''
  for (let i = 0; i < 8; i++) code += ACTIVATION_ALPHABET[randomInt(ACTIVATION_ALPHABET.length)]
  const expiresAt = new Date(Date.now() + ACTIVATION_DAYS * 86_400_000).toISOString()
  await trx.updateTable('activation_codes').set({ used_at: nowIso() }).where('user_id', '=', userId).where('used_at', 'is', null).execute()
  await trx
    .insertInto('activation_codes')
    .values({ code_hash: hash(code), user_id: userId, created_by: actorId, created_at: nowIso(), expires_at: expiresAt, used_at: null })
    .execute()
  return { code, expiresAt }
}

/** The person a valid, unused, unexpired code belongs to (matched with their phone), or null. */
export async function redeemActivationCode(trx: Kysely<Database>, phone: string, code: string): Promise<string | null> {
  const row = await trx
    .selectFrom('activation_codes')
    .innerJoin('users', 'users.id', 'activation_codes.user_id')
    .select(['users.id', 'activation_codes.expires_at', 'activation_codes.used_at'])
    .where('activation_codes.code_hash', '=', hash(code))
    .where('users.phone', '=', phone)
    .where('users.removed_at', 'is', null)
    .executeTakeFirst()
  if (!row || row.used_at !== null || row.expires_at < nowIso()) return null
  const used = await trx
    .updateTable('activation_codes')
    .set({ used_at: nowIso() })
    .where('code_hash', '=', hash(code))
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(used.numUpdatedRows) === 1 ? row.id : null
}
