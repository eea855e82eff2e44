import type { ChannelOutcome } from '../../../../core/domain/reminder-channels.ts'
import type { Reminder } from '../../../../core/domain/reminders.ts'
import { codeOf, maybeSent, mobileOf, UNCERTAIN, type ChannelAdapter, type Recipient } from './types.ts'

/**
 * 企业微信 / 政务微信 application messages (政务微信 is a private deployment of the same API at the
 * organ's own address). The organ creates an application (自建应用) and gives its corp id, agent id
 * and secret. The access_token from `gettoken` is cached until it expires and fetched again when
 * the API says it is invalid or expired (40014, 42001). Members are addressed by their WeCom user
 * id, set by an administrator or found once by their mobile number (`user/getuserid`).
 */
export interface WecomConfig {
  corpId: string
  agentId: number
  secret: string
  /** https://qyapi.weixin.qq.com, or the organ's 政务微信 address. */
  baseUrl: string
  /** 企业微信 or 政务微信: what members read. */
  label: string
  /** The app's public address, appended to the message so the member can open it (optional). */
  appUrl?: string
}

export interface WecomOptions {
  fetch?: typeof fetch
  now?: () => number
  /** How long to wait for an answer (10 s). */
  timeoutMs?: number
  /** Keeps a user id found by phone, so it is looked up once. */
  remember?: (userId: string, wecomUserId: string) => Promise<void>
}

const TOKEN_INVALID = new Set([40014, 42001])
/** Known answers, in Chinese, for the administrator. */
const REASONS: Record<number, string> = {
  40013: '企业ID（corpid）不正确',
  40001: '应用Secret不正确',
  40056: '应用ID（agentid）不正确',
  60020: '服务器IP不在企业微信应用的可信IP中',
  48002: '应用没有此接口的权限',
  81013: '成员不在企业微信通讯录中或不在应用可见范围内',
  60111: '企业微信中找不到此成员',
  46004: '企业微信中找不到此手机号',
}

class WecomError extends Error {
  constructor(
    readonly errcode: number,
    readonly reason: string,
    /** The message may have gone out (no answer in time to message/send). */
    readonly uncertain = false,
  ) {
    super(reason)
  }
}

/** WeCom's limit for a text message's content. */
const TEXT_MAX_BYTES = 2048

/** `text` cut to at most `max` UTF-8 bytes, with an ellipsis when cut (a long week-ahead list). */
export function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text
  let out = ''
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > max - 3) break
    out += ch
  }
  return `${out}…`
}

const reasonOf = (errcode: number) => REASONS[errcode] ?? `企业微信返回错误（${codeOf(errcode) || '未知'}）`

export function wecomChannel(
  cfg: WecomConfig,
  opts: WecomOptions = {},
): ChannelAdapter & { lookup(mobile: string, fresh?: boolean): Promise<string | null> } {
  const doFetch = opts.fetch ?? fetch
  const now = opts.now ?? Date.now
  const timeoutMs = opts.timeoutMs ?? 10_000
  const base = cfg.baseUrl.replace(/\/+$/, '')
  let token: { value: string; until: number } | null = null
  let pending: Promise<string> | null = null
  /** Numbers WeCom did not know, not asked again for a day (the job runs every few minutes). */
  const unknown = new Map<string, number>()

  async function call(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
    let res: Response
    try {
      res = await doFetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      if (path.startsWith('/cgi-bin/message/send') && maybeSent(err)) throw new WecomError(-5, `${cfg.label}${UNCERTAIN}`, true)
      throw new WecomError(-2, `无法连接${cfg.label}服务器`)
    }
    if (!res.ok) throw new WecomError(-3, `${cfg.label}服务器返回 HTTP ${res.status}`)
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null
    if (!body || typeof body.errcode !== 'number') throw new WecomError(-4, `${cfg.label}的回答无法识别`)
    return body
  }

  async function fetchToken(): Promise<string> {
    const q = new URLSearchParams({ corpid: cfg.corpId, corpsecret: cfg.secret })
    const body = await call(`/cgi-bin/gettoken?${q}`)
    const errcode = body.errcode as number
    if (errcode !== 0 || typeof body.access_token !== 'string') throw new WecomError(errcode, reasonOf(errcode))
    const ttl = typeof body.expires_in === 'number' ? body.expires_in : 7200
    // A margin of a few minutes: a token that expires in transit is refreshed anyway (42001).
    token = { value: body.access_token, until: now() + Math.max(60, ttl - 300) * 1000 }
    return token.value
  }

  /** The cached token, or one fetched now (concurrent callers share one request). */
  async function accessToken(): Promise<string> {
    if (token && token.until > now()) return token.value
    pending ??= fetchToken().finally(() => {
      pending = null
    })
    return pending
  }

  /** A call with the token; once more with a fresh token when it was invalid or expired. */
  async function withToken(path: string, payload: unknown): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const t = await accessToken()
      const body = await call(`${path}?access_token=${encodeURIComponent(t)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      })
      const errcode = body.errcode as number
      if (TOKEN_INVALID.has(errcode) && attempt === 0) {
        if (token?.value === t) token = null
        continue
      }
      if (errcode !== 0) throw new WecomError(errcode, reasonOf(errcode))
      return body
    }
  }

  /** The member's user id by mobile; `fresh`: ask even if the number was unknown lately (an administrator asking). */
  async function lookup(mobile: string, fresh = false): Promise<string | null> {
    if (!fresh && (unknown.get(mobile) ?? 0) > now()) return null
    try {
      const body = await withToken('/cgi-bin/user/getuserid', { mobile })
      if (typeof body.userid === 'string' && body.userid) {
        unknown.delete(mobile)
        return body.userid
      }
    } catch (err) {
      if (!(err instanceof WecomError && (err.errcode === 46004 || err.errcode === 60111))) throw err
    }
    unknown.set(mobile, now() + 86_400_000)
    return null
  }

  async function send(to: Recipient, reminder: Reminder): Promise<ChannelOutcome> {
    try {
      let userid = to.wecomUserId
      if (!userid) {
        const mobile = mobileOf(to.phone)
        if (!mobile) return { status: 'no-address' }
        userid = await lookup(mobile)
        if (!userid) return { status: 'no-address' }
        await opts.remember?.(to.userId, userid)
      }
      const link = cfg.appUrl ? `\n${new URL(reminder.url, cfg.appUrl).toString()}` : ''
      const body = await withToken('/cgi-bin/message/send', {
        touser: userid,
        msgtype: 'text',
        agentid: cfg.agentId,
        text: { content: `${cutBytes(`${reminder.title}\n${reminder.body}`, TEXT_MAX_BYTES - Buffer.byteLength(link))}${link}` },
        safe: 0,
        // WeCom drops the same message to the same person within 4 hours: a retry never arrives twice.
        enable_duplicate_check: 1,
        duplicate_check_interval: 14_400,
      })
      const invalid = String(body.invaliduser ?? '').split('|')
      if (invalid.includes(userid)) return { status: 'failed', reason: REASONS[81013] as string }
      return { status: 'sent' }
    } catch (err) {
      if (err instanceof WecomError) return { status: 'failed', reason: err.reason, ...(err.uncertain && { uncertain: true }) }
      return { status: 'failed', reason: `${cfg.label}发送出错` }
    }
  }

  return {
    id: 'wecom',
    label: cfg.label,
    reachable: (to) => to.wecomUserId !== null || mobileOf(to.phone) !== null,
    send,
    lookup,
  }
}
