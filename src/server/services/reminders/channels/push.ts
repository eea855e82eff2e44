import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema.ts'
import type { PushService, StoredSubscription } from '../../push/web-push.ts'
import { nowIso } from '../../../lib/time.ts'
import type { ChannelAdapter } from './types.ts'

/**
 * Web Push to every browser the member subscribed: delivered when at least one accepts it. A
 * subscription the push service reports gone is deleted (`onGone` counts it); when none is left,
 * the member has no push address any more.
 */
export function pushChannel(
  db: Kysely<Database>,
  push: PushService,
  subsOf: (userId: string) => readonly (StoredSubscription & { endpoint: string })[],
  onGone: () => void,
): ChannelAdapter {
  return {
    id: 'push',
    label: '手机通知',
    reachable: (to) => subsOf(to.userId).length > 0,
    async send(to, reminder) {
      const targets = subsOf(to.userId)
      if (targets.length === 0) return { status: 'no-address' }
      let delivered = 0
      let gone = 0
      for (const sub of targets) {
        const outcome = await push.send(sub, {
          title: reminder.title,
          body: reminder.body,
          url: reminder.url,
          tag: `${reminder.kind}-${reminder.key}`,
        })
        if (outcome === 'sent') {
          delivered++
          await db.updateTable('push_subscriptions').set({ last_sent_at: nowIso() }).where('endpoint', '=', sub.endpoint).execute()
        } else if (outcome === 'gone') {
          gone++
          onGone()
          await db.deleteFrom('push_subscriptions').where('endpoint', '=', sub.endpoint).execute()
        }
      }
      if (delivered > 0) return { status: 'sent' }
      if (gone === targets.length) return { status: 'no-address' }
      return { status: 'failed', reason: '推送服务暂时无法送达' }
    },
  }
}
