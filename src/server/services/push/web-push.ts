import type { Agent } from 'node:https'
import webpush from 'web-push'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { PushPayload } from '../../../core/schemas/push.ts'

export interface StoredSubscription {
  endpoint: string
  p256dh: string
  auth: string
}

export type SendOutcome = 'sent' | 'gone' | 'failed'

export interface PushService {
  publicKey(): Promise<string>
  /** Whether the server will send to this endpoint (push services only, never arbitrary hosts). */
  endpointAllowed(endpoint: string): boolean
  send(sub: StoredSubscription, payload: PushPayload): Promise<SendOutcome>
}

/** The push services of the browsers members use; others can be allowed with PUSH_HOSTS. */
export const DEFAULT_PUSH_HOSTS = ['.googleapis.com', '.push.services.mozilla.com', '.push.apple.com', '.notify.windows.com']

export interface PushOptions {
  /** Host names or suffixes (starting with a dot) the server may send pushes to. */
  hosts?: readonly string[]
  /** VAPID subject: a mailto: or https: contact for the push services. */
  subject?: string
  /** Only for tests: the TLS agent used to reach a local push endpoint. */
  agent?: Agent
}

/**
 * The server's VAPID key pair is made on first start and kept in the database, so every process
 * and every restart signs with the same key (subscriptions are bound to it).
 */
export async function vapidKeys(db: Kysely<Database>): Promise<{ publicKey: string; privateKey: string }> {
  const read = async () => {
    const rows = await db.selectFrom('meta').select(['key', 'value']).where('key', 'in', ['vapid_public', 'vapid_private']).execute()
    const map = new Map(rows.map((r) => [r.key, r.value]))
    const publicKey = map.get('vapid_public')
    const privateKey = map.get('vapid_private')
    return publicKey && privateKey ? { publicKey, privateKey } : null
  }
  const existing = await read()
  if (existing) return existing
  const made = webpush.generateVAPIDKeys()
  await db.transaction().execute(async (trx) => {
    // Two processes starting together: the first pair written wins, both read it back.
    const taken = await trx.selectFrom('meta').select('key').where('key', '=', 'vapid_public').executeTakeFirst()
    if (taken) return
    await trx
      .insertInto('meta')
      .values([
        { key: 'vapid_public', value: made.publicKey },
        { key: 'vapid_private', value: made.privateKey },
      ])
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
  })
  return (await read()) ?? made
}

export function hostAllowed(endpoint: string, hosts: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return false
  }
  if (url.protocol !== 'https:') return false
  return hosts.some((h) => (h.startsWith('.') ? url.hostname.endsWith(h) : url.hostname === h))
}

/** Web Push through the `web-push` library: payloads encrypted (aes128gcm) and signed with VAPID. */
export function webPushService(db: Kysely<Database>, opts: PushOptions = {}): PushService {
  let keys: Promise<{ publicKey: string; privateKey: string }> | null = null
  const getKeys = () =>
    (keys ??= vapidKeys(db).catch((err: unknown) => {
      keys = null
      throw err
    }))
  const hosts = opts.hosts ?? DEFAULT_PUSH_HOSTS
  return {
    publicKey: async () => (await getKeys()).publicKey,
    endpointAllowed: (endpoint) => hostAllowed(endpoint, hosts),
    async send(sub, payload) {
      if (!hostAllowed(sub.endpoint, hosts)) return 'gone'
      const { publicKey, privateKey } = await getKeys()
      try {
        await webpush.sendNotification({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(payload), {
          vapidDetails: { subject: opts.subject ?? 'mailto:suixing@localhost', publicKey, privateKey },
          TTL: 24 * 3600,
          urgency: 'normal',
          topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || undefined,
          timeout: 10_000,
          ...(opts.agent ? { agent: opts.agent } : {}),
        })
        return 'sent'
      } catch (err) {
        // 404/410: the browser unsubscribed or the subscription expired; it will never work again.
        if (err instanceof webpush.WebPushError && (err.statusCode === 404 || err.statusCode === 410)) return 'gone'
        return 'failed'
      }
    },
  }
}
