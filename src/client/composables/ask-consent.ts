import { showConfirmDialog } from 'vant'
import 'vant/es/dialog/style'
import { CONSENT_TEXTS, type ConsentKind } from '../../core/domain/privacy-notice.ts'
import type { PrivacyApi } from '../api/privacy-endpoints.ts'
import { useSessionStore } from '../session/session.store.ts'
import { consentGiven, decideConsent } from './consent.ts'

/**
 * At the moment of use: already consented → true; otherwise ask (what, why, who sees it, what
 * happens without), record the answer and return it. Declining never stops the page: it goes on
 * without the data.
 */
export async function askConsent(kind: ConsentKind, api?: PrivacyApi): Promise<boolean> {
  const db = useSessionStore().db
  if (!db) return false
  if (await consentGiven(db, kind)) return true
  const text = CONSENT_TEXTS[kind]
  let granted: boolean
  try {
    await showConfirmDialog({
      title: text.title,
      message: `${text.body}\n\n${text.without}`,
      confirmButtonText: '同意',
      cancelButtonText: '不同意',
      messageAlign: 'left',
    })
    granted = true
  } catch {
    granted = false
  }
  await decideConsent(db, kind, granted, api)
  return granted
}
