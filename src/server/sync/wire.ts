import type { Selectable } from 'kysely'
import type { BranchTable, StudyRecordTable, UserTable } from '../db/schema.ts'
import type { Branch, StudyRecord, UserProfile } from '../../core/schemas/entities.ts'
import type { Role } from '../../core/domain/roles.ts'
import type { StudyKind } from '../../core/domain/study-kinds.ts'

/** SQL rows → the shared wire entities (core/schemas/entities.ts). */
export function branchToWire(r: Selectable<BranchTable>): Branch {
  return { id: r.id, orgId: r.org_id, name: r.name, archived: r.archived === 1 }
}

export function userToWire(r: Pick<Selectable<UserTable>, 'id' | 'org_id' | 'branch_id' | 'name' | 'role'>): UserProfile {
  return { id: r.id, orgId: r.org_id, branchId: r.branch_id, name: r.name, role: r.role as Role }
}

export function studyToWire(r: Selectable<StudyRecordTable>): StudyRecord {
  return {
    id: r.id,
    ownerId: r.owner_id,
    branchId: r.branch_id,
    orgId: r.org_id,
    kind: r.kind as StudyKind,
    title: r.title,
    date: r.date,
    minutes: Number(r.minutes),
    notes: r.notes,
    sourceUrl: r.source_url,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deleted: r.deleted === 1,
  }
}
