import { api } from '../../api/client.ts'
import { onSignOut } from '../../session/sign-out.ts'

/** Notifications for the person signing out must not reach whoever uses the phone next. */
export function disablePushOnSignOut(): () => void {
  return onSignOut(({ tellServer }) =>
    import('./web-push.ts').then(({ disablePush }) => disablePush(tellServer ? api : null)).catch(() => undefined),
  )
}
