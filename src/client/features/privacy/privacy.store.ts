import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { PrivacyState } from '../../../core/contracts/privacy.ts'
import { PRIVACY_NOTICE_VERSION, type ConsentKind } from '../../../core/domain/privacy-notice.ts'
import { DEFAULT_RETENTION, type Retention } from '../../../core/domain/retention.ts'
import { privacyApi } from '../../api/privacy-client.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { decideConsent, flushConsents, localConsents, type LocalConsents } from '../../composables/consent.ts'
import { useRequest } from '../../composables/use-request.ts'
import { accepted, mustAccept, resetPrivacyGate } from './privacy-gate.ts'

/** The notice as the server last described it (its retention, the member's acceptance) and this phone's consents. */
export const usePrivacyStore = defineStore('privacy', () => {
  const session = useSessionStore()
  const state = shallowRef<PrivacyState | null>(null)
  const { busy, error, run } = useRequest('需要联网才能提交，请联网后再试')
  const consents = useLiveQuery<LocalConsents>(async () => (session.db ? localConsents(session.db) : {}), {}, [() => session.db])
  const retention = (): Retention => state.value?.retention ?? DEFAULT_RETENTION
  /** The member must read and accept (or decline) before going on: first login, or a new version. */
  const needsAcceptance = computed(() =>
    state.value ? state.value.acceptedVersion === null || state.value.acceptedVersion < state.value.currentVersion : mustAccept(),
  )

  /** Online: the server's state (and consents decided offline are sent). Offline: what the phone knows. */
  async function load(): Promise<void> {
    if (session.db) state.value = (await flushConsents(session.db, privacyApi)) ?? state.value
  }
  const accept = () =>
    run(async () => {
      state.value = await privacyApi.acceptPrivacy(PRIVACY_NOTICE_VERSION)
      accepted()
    })
  async function setConsent(kind: ConsentKind, granted: boolean): Promise<void> {
    if (!session.db) return
    await decideConsent(session.db, kind, granted, privacyApi)
  }
  /** Declined: signed out, this phone's data kept (the next sign-in asks again). */
  async function decline(): Promise<void> {
    resetPrivacyGate()
    await session.logout(false)
  }
  return { state, consents, busy, error, retention, needsAcceptance, load, accept, setConsent, decline }
})
