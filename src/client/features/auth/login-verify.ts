import { securityApi } from '../../api/security-client.ts'
import { useSessionStore } from '../../session/session.store.ts'

/** The second step of a login with two-factor login: a code or a recovery code, then signed in as usual. */
export async function verifyLogin(ticket: string, code: string): Promise<void> {
  const { user } = await securityApi.loginVerify(ticket, code)
  await useSessionStore().adopt(user)
}
