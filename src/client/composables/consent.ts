import { CONSENT_KINDS, type ConsentKind } from '../../core/domain/privacy-notice.ts'
import type { PrivacyState } from '../../core/contracts/privacy.ts'
import type { AccountDb } from '../db/account-db.ts'
import type { PrivacyApi } from '../api/privacy-endpoints.ts'

/**
 * Separate consents (个人信息保护法 Art.29), asked at the moment of first use and revocable in
 * 我的 › 个人信息与授权. The phone decides: a decision is kept in this account's database at once
 * (a visit in a village with no signal asks and records the location then and there) and sent to
 * the server, which keeps every decision (who, what, when), as soon as a connection allows.
 *
 * For a feature page: `await askConsent('location')` (or 'dues-base', ask-consent.ts) before it
 * collects the data; false means do not collect it, and the page carries on without it. This file
 * keeps and sends the decisions (no dialog: the privacy check at start loads it).
 */
const KEY = 'consents'

export interface LocalConsent {
  granted: boolean
  at: string
  /** The server has recorded this decision. */
  sent: boolean
}
export type LocalConsents = Partial<Record<ConsentKind, LocalConsent>>

const loadPrivacyApi = async (): Promise<PrivacyApi> => (await import('../api/privacy-client.ts')).privacyApi

export async function localConsents(db: AccountDb): Promise<LocalConsents> {
  return ((await db.meta.get(KEY))?.value as LocalConsents | undefined) ?? {}
}

/** Has the person consented (on this phone's last word)? */
export async function consentGiven(db: AccountDb, kind: ConsentKind): Promise<boolean> {
  return (await localConsents(db))[kind]?.granted === true
}

/**
 * Send the decisions the server has not recorded yet, and take the server's where it knows a later
 * one (given or withdrawn on another phone). Offline: nothing changes, it is tried again later.
 */
export async function flushConsents(db: AccountDb, api?: PrivacyApi): Promise<PrivacyState | null> {
  let state: PrivacyState | null = null
  try {
    // Inside the try: offline, even loading the calls may fail (a chunk not cached yet).
    const client = api ?? (await loadPrivacyApi())
    const local = await localConsents(db)
    for (const kind of CONSENT_KINDS) {
      const c = local[kind]
      if (c && !c.sent) {
        state = await client.setConsent({ kind, granted: c.granted })
        await update(db, kind, (now) => (now && now.at === c.at ? { ...now, sent: true } : now))
      }
    }
    state ??= await client.privacyState()
  } catch {
    return null
  }
  for (const kind of CONSENT_KINDS) {
    const remote = state.consents[kind]
    if (remote)
      await update(db, kind, (now) =>
        !now || (now.sent && remote.at > now.at) ? { granted: remote.granted, at: remote.at, sent: true } : now,
      )
  }
  return state
}

async function update(db: AccountDb, kind: ConsentKind, f: (now: LocalConsent | undefined) => LocalConsent | undefined): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const all = await localConsents(db)
    const next = f(all[kind])
    if (next === all[kind]) return
    await db.meta.put({ key: KEY, value: { ...all, [kind]: next } })
  })
}

/** Record a decision (given or withdrawn) on the phone, then tell the server if it can be reached. */
export async function decideConsent(db: AccountDb, kind: ConsentKind, granted: boolean, api?: PrivacyApi): Promise<void> {
  const at = new Date().toISOString()
  await update(db, kind, () => ({ granted, at, sent: false }))
  await flushConsents(db, api)
}
