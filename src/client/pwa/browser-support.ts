/**
 * Where the app was opened, and what works there. Members open links and QR codes inside WeChat,
 * WeCom, QQ or DingTalk, or in their phone maker's browser; iOS in-app browsers run no service
 * worker (no offline, no notifications) and keep their storage apart from the home-screen app.
 * Detected from the user agent (the only signal these browsers give) and from the features the
 * page actually has.
 */
export type BrowserKind =
  | 'wechat-ios'
  | 'wechat-android'
  | 'wecom'
  | 'qq-app'
  | 'dingtalk'
  | 'harmony'
  | 'huawei'
  | 'vendor'
  | 'qq-browser'
  | 'uc'
  | 'ios-safari'
  | 'other'

export interface BrowserInfo {
  kind: BrowserKind
  /** Inside another app (WeChat, WeCom, QQ, DingTalk): "open in the browser" is the way out. */
  inApp: boolean
  ios: boolean
  /** A service worker can run here: the app works offline once opened online. */
  offline: boolean
}

/** The browser from its user agent and, for `offline`, from whether it has service workers. */
export function detectBrowser(userAgent: string, hasServiceWorker: boolean): BrowserInfo {
  const ua = userAgent
  const ios = /iPhone|iPad|iPod/i.test(ua) || (/Macintosh/i.test(ua) && /Mobile\//i.test(ua))
  const kind = kindOf(ua, ios)
  const inApp = kind === 'wechat-ios' || kind === 'wechat-android' || kind === 'wecom' || kind === 'qq-app' || kind === 'dingtalk'
  // iOS runs service workers only in Safari and in the home-screen app (and App-Bound hosts).
  const offline = hasServiceWorker && !(ios && inApp)
  return { kind, inApp, ios, offline }
}

function kindOf(ua: string, ios: boolean): BrowserKind {
  // Order matters: WeCom's agent also says MicroMessenger, and WeChat's on Android also says MQQBrowser.
  if (/wxwork/i.test(ua)) return 'wecom'
  if (/MicroMessenger/i.test(ua)) return ios ? 'wechat-ios' : 'wechat-android'
  if (/DingTalk/i.test(ua)) return 'dingtalk'
  if (/\bQQ\/\d/i.test(ua)) return 'qq-app'
  if (/OpenHarmony|HarmonyOS|ArkWeb/i.test(ua)) return 'harmony'
  if (/HuaweiBrowser|HONORBrowser|HonorBrowser/i.test(ua)) return 'huawei'
  if (/MiuiBrowser|XiaoMi\/MiuiBrowser|HeyTapBrowser|OppoBrowser|VivoBrowser|SamsungBrowser/i.test(ua)) return 'vendor'
  if (/MQQBrowser/i.test(ua)) return 'qq-browser'
  if (/UCBrowser|UCWEB|\bUBrowser/i.test(ua)) return 'uc'
  if (ios && /Safari\//i.test(ua) && !/CriOS|FxiOS|EdgiOS/i.test(ua)) return 'ios-safari'
  return 'other'
}

/** The browser this page runs in. */
export const thisBrowser = (): BrowserInfo => detectBrowser(navigator.userAgent, 'serviceWorker' in navigator)

export interface Guidance {
  /** One sentence: what works here. */
  summary: string
  /** How to open the app properly here, step by step (empty: nothing to do). */
  steps: string[]
}

/**
 * What to tell the member, in one sentence and a few steps; null where everything works and
 * there is nothing to add.
 */
export function guidanceFor(b: BrowserInfo, installed: boolean): Guidance | null {
  const addIos = ['在 Safari 里点下方的分享按钮（方框加向上箭头）', '选「添加到主屏幕」，以后从桌面图标打开']
  const addAndroid = ['点浏览器菜单（右上角或右下角的「⋮」或「≡」）', '选「添加到桌面」或「添加到主屏幕」，以后从桌面图标打开']
  switch (b.kind) {
    case 'wechat-ios':
    case 'wechat-android':
    case 'wecom':
    case 'qq-app':
    case 'dingtalk': {
      const host = { 'wechat-ios': '微信', 'wechat-android': '微信', wecom: '企业微信', 'qq-app': 'QQ', dingtalk: '钉钉' }[b.kind]
      return {
        summary: b.offline
          ? `在${host}里也能用，但退出${host}后记录可能找不到，也收不到提醒：请在浏览器里打开。`
          : `在${host}里只能联网使用（不能离线、收不到提醒）：请在浏览器里打开。`,
        steps: [`点右上角「···」`, b.ios ? '选「在默认浏览器中打开」（Safari）' : '选「在浏览器打开」', ...(b.ios ? addIos : addAndroid)],
      }
    }
    case 'harmony':
    case 'huawei':
    case 'vendor':
    case 'qq-browser':
    case 'uc':
      if (!b.offline) return { summary: '这个浏览器不能离线使用，联网时可正常使用；需要离线时请换用手机自带的浏览器。', steps: [] }
      return installed ? null : { summary: '可以离线使用：添加到桌面后，像 App 一样打开。', steps: addAndroid }
    case 'ios-safari':
      return installed ? null : { summary: '可以离线使用：添加到主屏幕后，像 App 一样打开。', steps: addIos }
    case 'other':
      return b.offline ? null : { summary: '这个浏览器不能离线使用，联网时可正常使用。', steps: [] }
  }
}
