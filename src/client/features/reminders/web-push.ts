import type { Api } from '../../api/endpoints.ts'
import type { PushSubscriptionInput } from '../../../core/schemas/push.ts'

/**
 * Web Push in this browser. Android Chrome and desktop browsers can subscribe from a tab; iOS
 * only from the app added to the home screen (iOS 16.4+). Elsewhere reminders stay in the app.
 */
export type PushSupport = 'supported' | 'ios-home-screen' | 'unsupported'

const isIos = () => /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1)
const standalone = () =>
  window.matchMedia('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true

export function pushSupport(): PushSupport {
  const apis = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window
  if (isIos() && !standalone()) return 'ios-home-screen'
  return apis ? 'supported' : 'unsupported'
}

export function permission(): NotificationPermission | 'unsupported' {
  return 'Notification' in window ? Notification.permission : 'unsupported'
}

async function registration(): Promise<ServiceWorkerRegistration> {
  return navigator.serviceWorker.ready
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() !== 'supported') return null
  return (await registration()).pushManager.getSubscription()
}

const urlBase64ToBytes = (s: string): Uint8Array<ArrayBuffer> => {
  const b64 = (s + '='.repeat((4 - (s.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/')
  const bin = atob(b64)
  const out = new Uint8Array(new ArrayBuffer(bin.length))
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export class PushSetupError extends Error {}

/**
 * Must be called from the tap itself: the permission prompt is asked first, before any await
 * on the network, or browsers treat it as unsolicited.
 */
export async function enablePush(api: Api): Promise<void> {
  if (pushSupport() !== 'supported') throw new PushSetupError('此浏览器不支持推送通知')
  const granted = await Notification.requestPermission()
  if (granted !== 'granted') throw new PushSetupError('您没有允许通知。如需开启，请在浏览器或系统设置中允许本应用发送通知。')
  const { publicKey } = await api.pushKey()
  const reg = await registration()
  let sub = await reg.pushManager.getSubscription()
  // A subscription made with another server key (a restored server) cannot be used: renew it.
  const key = sub?.options.applicationServerKey
  if (
    sub &&
    key &&
    btoa(String.fromCharCode(...new Uint8Array(key)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '') !== publicKey
  ) {
    await sub.unsubscribe()
    sub = null
  }
  try {
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToBytes(publicKey) })
  } catch {
    throw new PushSetupError('无法连接手机的推送服务，提醒将在打开应用时显示。也可以使用日历订阅。')
  }
  await api.subscribePush(sub.toJSON() as PushSubscriptionInput)
}

/** Stop pushes to this browser (also on sign-out, so the next person does not get them). */
export async function disablePush(api: Api | null): Promise<void> {
  const sub = await currentSubscription()
  if (!sub) return
  if (api) await api.unsubscribePush(sub.endpoint).catch(() => undefined)
  await sub.unsubscribe()
}
