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
