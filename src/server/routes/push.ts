import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { HttpError } from '../lib/http-error.ts'
import * as contracts from '../../core/contracts/push.ts'
import { removeSubscription, sendTargetsOf, subscribe, subscriptionsOf, unsubscribe } from '../repositories/push-subscriptions.ts'
import { route } from './route.ts'

const MAX_SUBSCRIPTIONS_PER_PERSON = 10

/**
 * Web Push: the app asks for the server's public key, subscribes in the browser (after the
 * member tapped and agreed) and hands the subscription here. One browser, one subscription:
 * when another person signs in on the same phone and subscribes, the endpoint moves to them.
 */
export function pushRoutes(app: FastifyInstance, ctx: AppContext): void {
  route(app, contracts.pushKey, { access: 'viewer', handler: async () => ({ publicKey: await ctx.push.publicKey() }) })

  route(app, contracts.pushStatus, {
    access: 'viewer',
    handler: async ({ viewer }) => {
      const rows = await subscriptionsOf(ctx.read, viewer.id)
      return {
        devices: rows.length,
        lastSentAt:
          rows
            .map((r) => r.last_sent_at)
            .filter((x) => x !== null)
            .sort()
            .at(-1) ?? null,
      }
    },
  })

  route(app, contracts.subscribePush, {
    access: 'viewer',
    handler: async ({ request, viewer, body: sub }) => {
      if (!ctx.push.endpointAllowed(sub.endpoint)) throw new HttpError(422, 'validation', '此浏览器的推送服务不受支持，将改为在应用内提醒')
      const userAgent = String(request.headers['user-agent'] ?? '').slice(0, 300)
      await subscribe(ctx.db, viewer.id, sub, userAgent, MAX_SUBSCRIPTIONS_PER_PERSON)
      return { subscribed: true }
    },
  })

  route(app, contracts.unsubscribePush, {
    access: 'viewer',
    handler: async ({ viewer, body: { endpoint } }) => {
      await unsubscribe(ctx.db, viewer.id, endpoint)
      return { subscribed: false }
    },
  })

  /** A test notification to every device of the person, so they can see it works. */
  route(app, contracts.testPush, {
    access: 'viewer',
    config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
    handler: async ({ viewer }) => {
      const subs = await sendTargetsOf(ctx.db, viewer.id)
      let sent = 0
      for (const sub of subs) {
        const outcome = await ctx.push.send(sub, {
          title: '党建随行提醒已开启',
          body: '这是一条测试通知：政治生日等提醒将这样送达这台设备。',
          url: '/me/reminders',
          tag: 'test',
        })
        if (outcome === 'sent') sent++
        if (outcome === 'gone') await removeSubscription(ctx.db, sub.endpoint)
      }
      return { devices: subs.length, sent }
    },
  })
}
