import * as v from 'valibot'
import { issuesToMessage } from '../../../core/schemas/common.ts'
import { partyDateFields, type OathRenewal, type UserProfile } from '../../../core/schemas/entities.ts'
import type { SessionUser } from '../../../core/schemas/auth.ts'
import { newId } from '../../../core/ids.ts'
import { checkPartyDates } from '../../../core/domain/political-birthday.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import type { AccountDb } from '../../db/account-db.ts'
import { ValidationError, writeRow } from '../../db/write.ts'

export interface PartyDates {
  joinedPartyOn: string | null
  fullMemberOn: string | null
}

/** The member's own 入党日期 / 转正日期, saved offline through the one write path. */
export async function savePartyDates(db: AccountDb, userId: string, dates: PartyDates): Promise<void> {
  const schema = v.object(partyDateFields)
  const parsed = v.safeParse(schema, dates)
  if (!parsed.success) throw new ValidationError(issuesToMessage(parsed.issues, schema))
  const checked = parsed.output
  const problem = checkPartyDates(checked.joinedPartyOn, checked.fullMemberOn, chinaToday(new Date()))
  if (problem) throw new ValidationError(problem)
  const me = await db.users.get(userId)
  if (!me) throw new ValidationError('本机尚未同步您的资料，请联网同步后再试')
  const row: UserProfile = { ...me, ...checked }
  await writeRow(db, 'users', row, { ...checked })
}

/** The member re-took the oath today: one record, kept offline and synced like any other. */
export async function recordOathRenewal(db: AccountDb, user: SessionUser, date: string): Promise<void> {
  const createdAt = new Date().toISOString()
  const row: OathRenewal = { id: newId(), ownerId: user.id, branchId: user.branchId, orgId: user.orgId, date, createdAt, deleted: false }
  await writeRow(db, 'oath_renewals', row, { date, createdAt })
}
