/**
 * How a reminder reaches a member outside the app: Web Push, the organ's 企业微信 / 政务微信
 * application, or SMS. Each is off unless the organ configured it; a member chooses which to use
 * and in what order; the job tries them in that order and falls back to the next when one fails
 * or the member has no address on it (no push subscription, no WeCom account, no phone). The
 * calendar feed and the in-app notices are always there besides.
 */
export const CHANNELS = ['push', 'wecom', 'sms'] as const
export type Channel = (typeof CHANNELS)[number]

/** Default names; the server may call 企业微信 政务微信 (the organ's own deployment). */
export const CHANNEL_LABELS: Record<Channel, string> = { push: '手机通知', wecom: '企业微信', sms: '短信' }

/**
 * The channels to try, in order: the member's own choice (null: not chosen yet, every channel the
 * organ offers in the default order 推送 → 企业微信 → 短信), keeping only those the organ configured.
 * A channel the member left out is never used.
 */
export function channelOrder(chosen: readonly Channel[] | null, available: readonly Channel[]): Channel[] {
  const from = chosen ?? CHANNELS
  const seen = new Set<Channel>()
  const out: Channel[] = []
  for (const c of from) {
    if (seen.has(c) || !available.includes(c)) continue
    seen.add(c)
    out.push(c)
  }
  return out
}

/** What one channel did with one reminder. */
export type ChannelOutcome =
  /** Accepted by the provider (or by at least one of the member's browsers). */
  | { status: 'sent' }
  /** The member has no address on this channel (or no template for this kind): try the next, not a failure. */
  | { status: 'no-address' }
  /**
   * The provider refused or could not be reached: recorded for the administrator, then the next is
   * tried. `uncertain`: the request may have reached it (a timeout, a dropped connection), so the
   * message may have gone out: neither the next channel nor a retry is tried, lest it arrive twice.
   */
  | { status: 'failed'; reason: string; uncertain?: boolean }

export interface Attempt {
  channel: Channel
  outcome: ChannelOutcome
}

/**
 * Tries the channels in order until one delivers. Returns every attempt made; `deliveredBy` is the
 * channel that delivered, null if none did; `unsure` the channel that may have delivered (an
 * uncertain failure stops the fallback).
 */
export async function deliver(
  order: readonly Channel[],
  send: (channel: Channel) => Promise<ChannelOutcome>,
): Promise<{ deliveredBy: Channel | null; unsure?: Channel; attempts: Attempt[] }> {
  const attempts: Attempt[] = []
  for (const channel of order) {
    let outcome: ChannelOutcome
    try {
      outcome = await send(channel)
    } catch {
      outcome = { status: 'failed', reason: '发送时出错' }
    }
    attempts.push({ channel, outcome })
    if (outcome.status === 'sent') return { deliveredBy: channel, attempts }
    if (outcome.status === 'failed' && outcome.uncertain) return { deliveredBy: null, unsure: channel, attempts }
  }
  return { deliveredBy: null, attempts }
}
