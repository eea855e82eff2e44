import type { ExpressionBuilder } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { isAdmin, isManager } from '../../../core/domain/authority.ts'
import type { Viewer } from '../../lib/viewer.ts'

/**
 * A member's own records (study records, oath renewals): the member's own; their branch's for its
 * secretary (read-only); the organisation's for administrators.
 */
export function ownRecords(v: Viewer) {
  return (eb: ExpressionBuilder<Database, 'study_records' | 'oath_renewals'>) => {
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    if (isManager(v.role) && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('owner_id', '=', v.id), eb('branch_id', '=', v.branchId)])])
    return eb.and([eb('owner_id', '=', v.id)])
  }
}

/** Attendance and 补学: one's own; the meeting's branch for its secretary; everything for administrators. */
export function meetingRecords(v: Viewer) {
  return (eb: ExpressionBuilder<Database, 'attendance' | 'makeups'>) => {
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    if (isManager(v.role) && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('member_id', '=', v.id), eb('branch_id', '=', v.branchId)])])
    return eb.and([eb('member_id', '=', v.id)])
  }
}

/**
 * 党费 declarations and receipts are personal financial data: the member's own; their branch's for
 * its secretary and for the member the branch names 收缴员 (while they are in it); the
 * organisation's for administrators. No one else, not even other members of the branch.
 */
export function duesRecords(v: Viewer) {
  return (eb: ExpressionBuilder<Database, 'dues_profiles' | 'dues_payments'>) => {
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    const own = eb('member_id', '=', v.id)
    if (!v.branchId) return eb.and([own])
    const branch = eb('branch_id', '=', v.branchId)
    if (isManager(v.role)) return eb.and([eb('org_id', '=', v.orgId), eb.or([own, branch])])
    const collects = eb.exists(
      eb.selectFrom('branches').select('branches.id').where('branches.id', '=', v.branchId).where('branches.dues_collector_id', '=', v.id),
    )
    return eb.and([eb('org_id', '=', v.orgId), eb.or([own, eb.and([branch, collects])])])
  }
}
