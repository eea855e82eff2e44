import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { DuesProfileTable } from '../../db/schema.ts'
import { duesProfileFields, type DuesProfile } from '../../../core/schemas/entities.ts'
import { BASED_CATEGORIES, monthLabel, monthOf, ruleSetFor } from '../../../core/domain/dues-rules.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { isAdmin, managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { parse, writableTable, type Apply, type Scope } from '../table-module.ts'
import { duesRecords } from './scopes.ts'
import { collectsFor, duesMember } from './dues.ts'

/** 党费 declarations: the member, their branch's 收缴员 and secretary, administrators. */
export function duesProfileScope(v: Viewer): Scope<'dues_profiles'> {
  return duesRecords(v)
}

export function duesProfileToWire(r: Selectable<DuesProfileTable>): DuesProfile {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    memberId: r.member_id,
    category: r.category,
    baseFen: r.base_fen === null ? null : Number(r.base_fen),
    fromMonth: r.from_month,
    checkedOn: r.checked_on,
    declaredBy: r.declared_by,
    updatedAt: r.updated_at,
  }
}

const Declaration = v.strictObject(duesProfileFields)

/**
 * A declaration (category, base, the month dues are owed from, the day it was checked), written
 * whole by the member or, from the payroll sheet, by their branch's 收缴员 or secretary or an
 * administrator. The last writer wins. 预备党员 owe from the month the 支部大会 admitted them, so the
 * first month is never before the month of their 入党日期.
 */
export const applyDuesProfileMutation: Apply = async (trx, viewer, m, seqs) => {
  if (m.op === 'delete') throw new HttpError(403, 'forbidden', '党费申报不能删除，可修改')
  const f = parse(Declaration, m.fields ?? {})
  if (m.rowId !== f.memberId) throw new HttpError(422, 'validation', '党费申报的编号应为党员本人的编号')
  const member = await duesMember(trx, viewer, f.memberId)
  const allowed =
    viewer.id === member.id ||
    isAdmin(viewer.role) ||
    managesBranch(viewer, member.branch_id) ||
    (await collectsFor(trx, viewer, member.branch_id))
  if (!allowed) throw new HttpError(403, 'forbidden', '党费基数只能由本人、本支部收缴员或书记填写')
  const today = chinaToday(new Date())
  const based = BASED_CATEGORIES.includes(f.category)
  if (based && f.baseFen === null) throw new HttpError(422, 'validation', '请填写党费基数（税后固定月收入或基本离退休费）')
  if (f.checkedOn > today) throw new HttpError(422, 'validation', '核定日期不能晚于今天')
  if (f.fromMonth > monthOf(today)) throw new HttpError(422, 'validation', '起交月份不能晚于本月')
  if (member.joined_party_on && f.fromMonth < monthOf(member.joined_party_on))
    throw new HttpError(
      422,
      'validation',
      `起交月份不能早于入党当月（${monthLabel(monthOf(member.joined_party_on))}）：${ruleSetFor(f.fromMonth).probationaryArticle}`,
    )
  const row = {
    org_id: viewer.orgId,
    branch_id: member.branch_id,
    member_id: member.id,
    category: f.category,
    base_fen: based ? f.baseFen : null,
    from_month: f.fromMonth,
    checked_on: f.checkedOn,
    declared_by: viewer.id,
    updated_at: nowIso(),
    seq: 0,
  }
  const existing = await trx.selectFrom('dues_profiles').select('id').where('id', '=', member.id).executeTakeFirst()
  if (existing) await trx.updateTable('dues_profiles').set(row).where('id', '=', member.id).execute()
  else
    await trx
      .insertInto('dues_profiles')
      .values({ id: member.id, ...row })
      .execute()
  seqs.mark('dues_profiles', member.id)
}

export const duesProfiles = writableTable({
  table: 'dues_profiles',
  read: (db, viewer) => db.selectFrom('dues_profiles').selectAll().where(duesProfileScope(viewer)),
  toWire: (rows) => rows.map(duesProfileToWire),
  apply: applyDuesProfileMutation,
})
