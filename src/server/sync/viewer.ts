import type { Role } from '../../core/domain/roles.ts'

/** Who is asking: the basis of every authorisation decision on the server. */
export interface Viewer {
  id: string
  orgId: string
  branchId: string | null
  role: Role
}
