import { onSignOut } from '../../session/sign-out.ts'

/** Notifications for the person signing out must not reach whoever uses the phone next. */
export function disablePushOnSignOut(): () => void {
  return onSignOut(({ tellServer }) =>
    Promise.all([import('./web-push.ts'), import('../../api/client.ts')])
      .then(([{ disablePush }, { api }]) => disablePush(tellServer ? api : null))
      .catch(() => undefined),
  )
}
