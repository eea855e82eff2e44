import type { Actor } from '../../core/domain/authority.ts'

/**
 * Who is asking: the basis of every authorisation decision on the server. An Actor of core's
 * authority rules (isManager, isAdmin, managesBranch) with what the server knows besides.
 */
export interface Viewer extends Actor {
  orgId: string
  /** Changes when the person's branch or role changes: their devices re-pull what they may now see. */
  scopeVersion: number
  /** The public id of the session making the request. */
  sessionId: string
  /** Where a push came from, for the audit entries of synced writes that move money (党费 receipts). */
  origin?: { ip: string; device: string }
}
