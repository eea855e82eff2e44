import type { Role } from '../../core/domain/roles.ts'

/** Who is asking: the basis of every authorisation decision on the server. */
export interface Viewer {
  id: string
  orgId: string
  branchId: string | null
  role: Role
  /** Changes when the person's branch or role changes: their devices re-pull what they may now see. */
  scopeVersion: number
  /** The public id of the session making the request. */
  sessionId: string
}
