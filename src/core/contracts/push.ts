import * as v from 'valibot'
import { contract } from './contract.ts'
import { PushEndpointInput, PushSubscriptionInput } from '../schemas/push.ts'

/** Web Push: the server's key, the person's subscribed devices, a test notification. */
export const pushKey = contract({ method: 'GET', path: '/api/push/key', response: v.object({ publicKey: v.string() }) })
export const pushStatus = contract({
  method: 'GET',
  path: '/api/me/push',
  response: v.object({ devices: v.number(), lastSentAt: v.nullable(v.string()) }),
})
export const subscribePush = contract({
  method: 'POST',
  path: '/api/me/push',
  body: PushSubscriptionInput,
  response: v.object({ subscribed: v.literal(true) }),
})
export const unsubscribePush = contract({
  method: 'POST',
  path: '/api/me/push/remove',
  body: PushEndpointInput,
  response: v.object({ subscribed: v.literal(false) }),
})
export const testPush = contract({
  method: 'POST',
  path: '/api/me/push/test',
  response: v.object({ devices: v.number(), sent: v.number() }),
})
