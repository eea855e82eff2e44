import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import * as contracts from '../../core/contracts/reminders.ts'
import { CHANNEL_LABELS, type Channel } from '../../core/domain/reminder-channels.ts'
import { offeredChannels } from '../services/reminders/channels/index.ts'
import { managedPerson } from '../services/admin/scope.ts'
import { audit } from '../services/admin/audit.ts'
import { failureCount, recentFailures, setWecomUserId } from '../repositories/reminder-failures.ts'
import { HttpError } from '../lib/http-error.ts'
import { route } from './route.ts'

const SHOWN = 50

/**
 * Reminder channels: members learn which channels this organ offers (their settings page shows
 * only those); administrators link a person to their 企业微信 / 政务微信 account and see the
 * reminders that failed to go out.
 */
export function reminderRoutes(app: FastifyInstance, ctx: AppContext): void {
  const offered = offeredChannels(ctx.channels)
  const labelOf = (c: Channel) => offered.find((o) => o.id === c)?.label ?? CHANNEL_LABELS[c]
  const wecom = offered.find((o) => o.id === 'wecom')

  route(app, contracts.reminderChannels, { access: 'viewer', handler: async () => ({ channels: offered }) })

  route(app, contracts.personWecom, {
    access: 'admin',
    handler: async ({ viewer, params: { id } }) => {
      const person = await managedPerson(ctx.read, viewer, id)
      return { configured: wecom !== undefined, label: labelOf('wecom'), wecomUserId: person.wecom_userid }
    },
  })

  route(app, contracts.setPersonWecom, {
    access: 'admin',
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    handler: async ({ request, viewer, params: { id }, body }) => {
      const person = await managedPerson(ctx.read, viewer, id)
      let next: string | null
      if ('lookup' in body) {
        if (!wecom) throw new HttpError(422, 'validation', '本单位尚未配置企业微信或政务微信')
        if (!/^1\d{10}$/.test(person.phone)) throw new HttpError(422, 'validation', '此人员没有可用于查找的手机号')
        try {
          next = await ctx.channels.wecomLookup(person.phone)
        } catch {
          throw new HttpError(422, 'validation', `暂时无法连接${labelOf('wecom')}，请稍后再试`)
        }
        if (!next) return { configured: true, label: labelOf('wecom'), wecomUserId: person.wecom_userid, found: false }
      } else next = body.wecomUserId
      await ctx.db.transaction().execute(async (trx) => {
        await setWecomUserId(trx, id, next)
        await audit(
          trx,
          request,
          viewer,
          'person_update',
          id,
          next ? `设置${labelOf('wecom')}账号：${person.name}` : `清除${labelOf('wecom')}账号：${person.name}`,
          { fields: ['wecomUserId'] },
        )
      })
      return { configured: wecom !== undefined, label: labelOf('wecom'), wecomUserId: next, found: true }
    },
  })

  route(app, contracts.reminderFailures, {
    access: 'admin',
    handler: async ({ viewer }) => {
      const since = new Date(Date.now() - 30 * 86_400_000).toISOString()
      const rows = await recentFailures(ctx.read, viewer.orgId, SHOWN)
      return {
        total: await failureCount(ctx.read, viewer.orgId, since),
        failures: rows.map((r) => ({
          userId: r.user_id,
          name: r.name,
          kind: r.kind,
          channel: r.channel,
          channelLabel: labelOf(r.channel),
          reason: r.reason,
          attempts: r.attempts,
          lastAt: r.last_at,
          deliveredBy: r.delivered === 1 && r.sent_channel ? labelOf(r.sent_channel) : null,
          // Kept without delivery on a channel: it gave no answer in time (core's uncertain failure).
          unconfirmed: r.delivered === 0 && r.sent_channel !== null,
        })),
      }
    },
  })
}
