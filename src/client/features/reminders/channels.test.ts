import { describe, expect, it } from 'vitest'
import { channelRows, chosenOf, raisedChannel, toggledChannel } from './channels.ts'

const offered = [
  { id: 'push' as const, label: '手机通知' },
  { id: 'wecom' as const, label: '政务微信' },
  { id: 'sms' as const, label: '短信' },
]
const ids = (rows: ReturnType<typeof channelRows>) => rows.map((r) => `${r.id}:${r.on ? 'on' : 'off'}`)

describe('the channels on the reminder settings page', () => {
  it('not chosen yet: every channel the organ offers, in its order, all on', () => {
    expect(ids(channelRows(null, offered))).toEqual(['push:on', 'wecom:on', 'sms:on'])
    expect(ids(channelRows(null, offered.slice(0, 1)))).toEqual(['push:on'])
  })

  it("the member's order first, then the ones turned off; channels the organ does not offer are not shown", () => {
    expect(ids(channelRows(['sms', 'push'], offered))).toEqual(['sms:on', 'push:on', 'wecom:off'])
    expect(
      ids(
        channelRows(
          ['wecom', 'sms'],
          offered.filter((o) => o.id !== 'wecom'),
        ),
      ),
    ).toEqual(['sms:on', 'push:off'])
    expect(ids(channelRows([], offered))).toEqual(['push:off', 'wecom:off', 'sms:off'])
  })

  it('turning on, off and moving up give the list to save', () => {
    const rows = channelRows(null, offered)
    expect(toggledChannel(rows, 'wecom', false)).toEqual(['push', 'sms'])
    expect(toggledChannel(channelRows(['sms'], offered), 'push', true)).toEqual(['sms', 'push'])
    expect(raisedChannel(rows, 'sms')).toEqual(['push', 'sms', 'wecom'])
    expect(raisedChannel(rows, 'push')).toEqual(['push', 'wecom', 'sms'])
    expect(chosenOf(channelRows(['sms', 'push'], offered))).toEqual(['sms', 'push'])
  })
})
