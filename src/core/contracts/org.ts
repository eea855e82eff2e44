import * as v from 'valibot'
import { contract } from './contract.ts'
import { Uuid } from '../schemas/common.ts'
import {
  AuditEntry,
  BranchInput,
  BranchPatch,
  GroupInput,
  IdParams,
  ImportPreview,
  ImportRequest,
  IssuedCode,
  Onboarding,
  OrgTree,
} from '../schemas/people.ts'

/** The organisation tree (机关党委 → 党支部 → 党小组), the first steps, the audit log and the roster import. */
const Created = v.object({ id: v.string() })
const Done = v.object({ ok: v.literal(true) })

export const orgTree = contract({ method: 'GET', path: '/api/admin/org', response: OrgTree })
export const createBranch = contract({ method: 'POST', path: '/api/admin/branches', body: BranchInput, response: Created })
export const updateBranch = contract({
  method: 'POST',
  path: '/api/admin/branches/:id',
  params: IdParams,
  body: BranchPatch,
  response: Done,
})
export const createGroup = contract({ method: 'POST', path: '/api/admin/groups', body: GroupInput, response: Created })
export const updateGroup = contract({ method: 'POST', path: '/api/admin/groups/:id', params: IdParams, body: BranchPatch, response: Done })
export const onboarding = contract({ method: 'GET', path: '/api/admin/onboarding', response: Onboarding })
/** 100 entries at a time, newest first; `before` pages back. */
export const auditLog = contract({
  method: 'GET',
  path: '/api/admin/audit',
  query: v.object({ before: v.optional(Uuid) }),
  response: v.object({ entries: v.array(AuditEntry) }),
})

/** Preview lists every row's problems and writes nothing; apply writes all rows or none. */
export const previewImport = contract({ method: 'POST', path: '/api/admin/import/preview', body: ImportRequest, response: ImportPreview })
export const applyImport = contract({
  method: 'POST',
  path: '/api/admin/import/apply',
  body: ImportRequest,
  response: v.object({ created: v.number(), branchesCreated: v.number(), groupsCreated: v.number(), activations: v.array(IssuedCode) }),
})
