import { createHook } from '../db/hooks.ts'

export interface SignOutEvent {
  /**
   * True when the member signs out here (the server can still be told, e.g. to forget this
   * phone's push subscription); false when the server already signed this phone out.
   */
  tellServer: boolean
}

const signOut = createHook<SignOutEvent>('sign-out')

/**
 * Features that keep something for the signed-in person outside their account database (a push
 * subscription, say) subscribe here and drop it: run before the account's data is closed or deleted.
 */
export const onSignOut = signOut.on
export const emitSignOut = signOut.emit
