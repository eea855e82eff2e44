import { describe, expect, it } from 'vitest'
import { detectBrowser, guidanceFor } from './browser-support.ts'

/** User agents as these browsers send them (2025–2026 versions). */
const USER_AGENTS = {
  wechatIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN',
  wechatAndroid:
    'Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240404 MMWEBID/1234 MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  wecom:
    'Mozilla/5.0 (Linux; Android 13; PGT-AN10 Build/HONORPGT-AN10; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light',
  harmony:
    'Mozilla/5.0 (Phone; OpenHarmony 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300',
  huawei:
    'Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13.0.321) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36',
  huaweiAndroid:
    'Mozilla/5.0 (Linux; Android 10; ELS-AN00; HMSCore 6.13.0.321) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36',
  qqBrowser:
    'Mozilla/5.0 (Linux; U; Android 13; zh-cn; PHB110 Build/TP1A.220905.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/15.1 Mobile Safari/537.36 COVC/046915',
  uc: 'Mozilla/5.0 (Linux; U; Android 13; zh-CN; 22081212C Build/TKQ1.220829.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/16.6.0.1320 Mobile Safari/537.36',
  iosSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
} as const

describe('which browser the app was opened in', () => {
  it('tells WeChat on iOS (no service worker) from WeChat on Android, and WeCom from both', () => {
    expect(detectBrowser(USER_AGENTS.wechatIos, false)).toEqual({ kind: 'wechat-ios', inApp: true, ios: true, offline: false })
    // Even if a future WKWebView had service workers, an iOS in-app browser is not where the app lives.
    expect(detectBrowser(USER_AGENTS.wechatIos, true).offline).toBe(false)
    expect(detectBrowser(USER_AGENTS.wechatAndroid, true)).toEqual({ kind: 'wechat-android', inApp: true, ios: false, offline: true })
    expect(detectBrowser(USER_AGENTS.wecom, true).kind).toBe('wecom')
  })

  it('knows HarmonyOS (ArkWeb), the Huawei browser, QQ and UC browsers, Safari and the rest', () => {
    expect(detectBrowser(USER_AGENTS.harmony, true).kind).toBe('harmony')
    expect(detectBrowser(USER_AGENTS.huawei, true).kind).toBe('harmony') // HarmonyOS 2–4 say so in their agent
    expect(detectBrowser(USER_AGENTS.huaweiAndroid, true).kind).toBe('huawei')
    expect(detectBrowser(USER_AGENTS.qqBrowser, true).kind).toBe('qq-browser')
    expect(detectBrowser(USER_AGENTS.uc, true).kind).toBe('uc')
    expect(detectBrowser(USER_AGENTS.iosSafari, true).kind).toBe('ios-safari')
    expect(detectBrowser(USER_AGENTS.chromeAndroid, true)).toEqual({ kind: 'other', inApp: false, ios: false, offline: true })
  })
})

describe('what the member is told', () => {
  it('inside WeChat on iOS: online only, and how to open it in Safari and add it to the home screen', () => {
    const g = guidanceFor(detectBrowser(USER_AGENTS.wechatIos, false), false)
    expect(g?.summary).toBe('在微信里只能联网使用（不能离线、收不到提醒）：请在浏览器里打开。')
    expect(g?.steps[0]).toBe('点右上角「···」')
    expect(g?.steps[1]).toContain('Safari')
    expect(g?.steps.join()).toContain('添加到主屏幕')
  })

  it('inside WeChat on Android: open it in the browser', () => {
    const g = guidanceFor(detectBrowser(USER_AGENTS.wechatAndroid, true), false)
    expect(g?.steps.slice(0, 2)).toEqual(['点右上角「···」', '选「在浏览器打开」'])
  })

  it('a phone maker browser that can run offline: add to the desktop, unless already opened from it', () => {
    expect(guidanceFor(detectBrowser(USER_AGENTS.huaweiAndroid, true), false)?.summary).toContain('添加到桌面')
    expect(guidanceFor(detectBrowser(USER_AGENTS.huaweiAndroid, true), true)).toBeNull()
  })

  it('a browser without service workers works online and says so', () => {
    expect(guidanceFor(detectBrowser(USER_AGENTS.uc, false), false)?.summary).toContain('不能离线使用，联网时可正常使用')
    expect(guidanceFor(detectBrowser(USER_AGENTS.chromeAndroid, false), false)?.summary).toContain('不能离线使用')
  })

  it('nothing to say in a browser where everything works', () => {
    expect(guidanceFor(detectBrowser(USER_AGENTS.chromeAndroid, true), false)).toBeNull()
    expect(guidanceFor(detectBrowser(USER_AGENTS.iosSafari, true), true)).toBeNull()
  })
})
