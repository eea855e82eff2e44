import type { ResponseOf } from '../../../core/contracts/contract.ts'
import type * as security from '../../../core/contracts/security.ts'
import { createHttpClient } from '../../api/http.ts'
import { useSessionStore } from '../../session/session.store.ts'

// The call lives here, not in api/ (whose files go into the app shell's chunk): only a login with two-factor login loads it.
const http = createHttpClient()

/** The second step of a login with two-factor login: a code or a recovery code, then signed in as usual. */
export async function verifyLogin(ticket: string, code: string): Promise<void> {
  const { user } = await http.post<ResponseOf<typeof security.loginVerify>>('/api/auth/login/verify', { ticket, code })
  await useSessionStore().adopt(user)
}
