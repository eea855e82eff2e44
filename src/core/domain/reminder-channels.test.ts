import { describe, expect, it } from 'vitest'
import { channelOrder, deliver, type Channel, type ChannelOutcome } from './reminder-channels.ts'

describe('which channels a reminder takes', () => {
  it('by default: every channel the organ configured, 推送 → 企业微信 → 短信', () => {
    expect(channelOrder(null, ['push', 'wecom', 'sms'])).toEqual(['push', 'wecom', 'sms'])
    expect(channelOrder(null, ['push', 'sms'])).toEqual(['push', 'sms'])
    expect(channelOrder(null, ['sms', 'push'])).toEqual(['push', 'sms'])
  })

  it("the member's order, without the channels they left out or the organ does not offer", () => {
    expect(channelOrder(['sms', 'push'], ['push', 'wecom', 'sms'])).toEqual(['sms', 'push'])
    expect(channelOrder(['wecom', 'sms'], ['push', 'sms'])).toEqual(['sms'])
    expect(channelOrder([], ['push', 'wecom', 'sms'])).toEqual([])
    expect(channelOrder(['sms', 'sms', 'push'], ['push', 'sms'])).toEqual(['sms', 'push'])
  })
})

describe('falling back', () => {
  const script = (answers: Partial<Record<Channel, ChannelOutcome | 'throw'>>) => {
    const asked: Channel[] = []
    const send = async (c: Channel): Promise<ChannelOutcome> => {
      asked.push(c)
      const a = answers[c] ?? { status: 'sent' }
      if (a === 'throw') throw new Error('boom')
      return a
    }
    return { asked, send }
  }

  it('stops at the first channel that delivers', async () => {
    const s = script({})
    expect(await deliver(['push', 'wecom', 'sms'], s.send)).toEqual({
      deliveredBy: 'push',
      attempts: [{ channel: 'push', outcome: { status: 'sent' } }],
    })
    expect(s.asked).toEqual(['push'])
  })

  it('goes on when a channel fails, has no address or throws, and keeps every attempt', async () => {
    const s = script({ push: { status: 'no-address' }, wecom: 'throw' })
    const r = await deliver(['push', 'wecom', 'sms'], s.send)
    expect(r.deliveredBy).toBe('sms')
    expect(r.attempts.map((a) => [a.channel, a.outcome.status])).toEqual([
      ['push', 'no-address'],
      ['wecom', 'failed'],
      ['sms', 'sent'],
    ])
  })

  it('stops at an uncertain failure (the message may have gone out): no other channel', async () => {
    const s = script({ push: { status: 'failed', reason: 'timeout', uncertain: true } })
    const r = await deliver(['push', 'sms'], s.send)
    expect(r).toMatchObject({ deliveredBy: null, unsure: 'push' })
    expect(s.asked).toEqual(['push'])
  })

  it('delivers nothing when every channel fails, and tries none the member did not allow', async () => {
    const s = script({ push: { status: 'failed', reason: 'x' }, sms: { status: 'failed', reason: 'y' } })
    const r = await deliver(channelOrder(['push', 'sms'], ['push', 'wecom', 'sms']), s.send)
    expect(r.deliveredBy).toBeNull()
    expect(s.asked).toEqual(['push', 'sms'])
  })
})
