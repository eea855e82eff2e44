import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import { requireViewer } from '../plugins/auth.ts'
import { PushEndpointInput, PushSubscriptionInput } from '../../core/schemas/push.ts'

const MAX_SUBSCRIPTIONS_PER_PERSON = 10

/**
 * Web Push: the app asks for the server's public key, subscribes in the browser (after the
 * member tapped and agreed) and hands the subscription here. One browser, one subscription:
 * when another person signs in on the same phone and subscribes, the endpoint moves to them.
 */
export function pushRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/push/key', async (request) => {
    requireViewer(request)
    return { publicKey: await ctx.push.publicKey() }
  })

  app.get('/api/me/push', async (request) => {
    const viewer = requireViewer(request)
    const rows = await ctx.read
      .selectFrom('push_subscriptions')
      .select(['endpoint', 'created_at', 'last_sent_at'])
      .where('user_id', '=', viewer.id)
      .execute()
    return {
      devices: rows.length,
      lastSentAt:
        rows
          .map((r) => r.last_sent_at)
          .filter((x) => x !== null)
          .sort()
          .at(-1) ?? null,
    }
  })

  app.post('/api/me/push', async (request) => {
    const viewer = requireViewer(request)
    const sub = parseInput(PushSubscriptionInput, request.body)
    if (!ctx.push.endpointAllowed(sub.endpoint)) throw new HttpError(422, 'validation', '此浏览器的推送服务不受支持，将改为在应用内提醒')
    const userAgent = String(request.headers['user-agent'] ?? '').slice(0, 300)
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('push_subscriptions').where('endpoint', '=', sub.endpoint).execute()
      const count = await trx
        .selectFrom('push_subscriptions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', viewer.id)
        .executeTakeFirstOrThrow()
      if (Number(count.n) >= MAX_SUBSCRIPTIONS_PER_PERSON) {
        // Keep the newest few: an old phone that was never unsubscribed should not block a new one.
        const oldest = await trx
          .selectFrom('push_subscriptions')
          .select('endpoint')
          .where('user_id', '=', viewer.id)
          .orderBy('created_at')
          .executeTakeFirstOrThrow()
        await trx.deleteFrom('push_subscriptions').where('endpoint', '=', oldest.endpoint).execute()
      }
      await trx
        .insertInto('push_subscriptions')
        .values({
          endpoint: sub.endpoint,
          user_id: viewer.id,
          p256dh: sub.keys.p256dh,
          auth: sub.keys.auth,
          user_agent: userAgent,
          created_at: nowIso(),
          last_sent_at: null,
        })
        .execute()
    })
    return { subscribed: true }
  })

  app.post('/api/me/push/remove', async (request) => {
    const viewer = requireViewer(request)
    const { endpoint } = parseInput(PushEndpointInput, request.body)
    await ctx.db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).where('user_id', '=', viewer.id).execute()
    return { subscribed: false }
  })

  /** A test notification to every device of the person, so they can see it works. */
  app.post('/api/me/push/test', { config: { rateLimit: { max: 5, timeWindow: '1 minute' } } }, async (request) => {
    const viewer = requireViewer(request)
    const subs = await ctx.db
      .selectFrom('push_subscriptions')
      .select(['endpoint', 'p256dh', 'auth'])
      .where('user_id', '=', viewer.id)
      .execute()
    let sent = 0
    for (const sub of subs) {
      const outcome = await ctx.push.send(sub, {
        title: '党建随行提醒已开启',
        body: '这是一条测试通知：政治生日等提醒将这样送达这台设备。',
        url: '/me/reminders',
        tag: 'test',
      })
      if (outcome === 'sent') sent++
      if (outcome === 'gone') await ctx.db.deleteFrom('push_subscriptions').where('endpoint', '=', sub.endpoint).execute()
    }
    return { devices: subs.length, sent }
  })
}
