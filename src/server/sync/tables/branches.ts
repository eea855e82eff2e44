import type { Kysely, Selectable } from 'kysely'
import type { BranchTable, Database } from '../../db/schema.ts'
import type { Branch } from '../../../core/schemas/entities.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { syncedTable, type Scope } from '../table-module.ts'

/** Branches (read-only through sync): everyone sees the organisation's tree. */
export function branchScope(v: Viewer): Scope<'branches'> {
  return (eb) => eb.and([eb('org_id', '=', v.orgId)])
}

export function branchToWire(r: Selectable<BranchTable>, groups: readonly { id: string; name: string }[] = []): Branch {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    archived: r.archived === 1,
    startedOn: r.started_on,
    duesCollectorId: r.dues_collector_id,
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
  }
}

/** The current 党小组 of these branches, read once per page. */
async function groupsOf(db: Kysely<Database>, branchIds: readonly string[]) {
  return db
    .selectFrom('party_groups')
    .select(['id', 'name', 'branch_id'])
    .where('branch_id', 'in', branchIds)
    .where('archived', '=', 0)
    .orderBy('id')
    .execute()
}

export const branches = syncedTable({
  table: 'branches',
  read: (db, viewer) => db.selectFrom('branches').selectAll().where(branchScope(viewer)),
  toWire: async (rows, _viewer, db) => {
    const groups = await groupsOf(
      db,
      rows.map((r) => r.id),
    )
    return rows.map((r) =>
      branchToWire(
        r,
        groups.filter((g) => g.branch_id === r.id),
      ),
    )
  },
})
