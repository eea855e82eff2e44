import * as v from 'valibot'

/** A browser's Web Push subscription, as PushSubscription.toJSON() gives it. */
export const PushSubscriptionInput = v.object({
  endpoint: v.pipe(
    v.string('推送地址应为文本'),
    v.maxLength(1000, '推送地址过长'),
    v.regex(/^https:\/\/\S+$/, '推送地址应以 https:// 开头'),
    v.title('推送地址'),
  ),
  keys: v.pipe(
    v.object({
      p256dh: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, '推送密钥格式不正确')),
      auth: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,32}={0,2}$/, '推送密钥格式不正确')),
    }),
    v.title('推送密钥'),
  ),
})
export type PushSubscriptionInput = v.InferOutput<typeof PushSubscriptionInput>

export const PushEndpointInput = v.object({ endpoint: v.pipe(v.string(), v.maxLength(1000, '推送地址过长'), v.title('推送地址')) })

/** What the server sends and the service worker shows as a notification. */
export const PushPayload = v.object({
  title: v.string(),
  body: v.string(),
  /** Where tapping the notification opens the app. */
  url: v.string(),
  /** Replaces an earlier notification with the same tag. */
  tag: v.string(),
})
export type PushPayload = v.InferOutput<typeof PushPayload>
