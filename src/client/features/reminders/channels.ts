import type { Channel } from '../../../core/domain/reminder-channels.ts'

/** A channel the organ offers, as the settings page lists it. */
export interface ChannelRow {
  id: Channel
  label: string
  on: boolean
}

/**
 * The offered channels in the order they are tried: those the member uses first, in their order
 * (not chosen yet: every offered one, the organ's order), then the ones they turned off.
 */
export function channelRows(chosen: readonly Channel[] | null, offered: readonly { id: Channel; label: string }[]): ChannelRow[] {
  const used = (chosen ?? offered.map((o) => o.id)).filter((c, i, all) => all.indexOf(c) === i)
  const on = used.flatMap((c) => offered.filter((o) => o.id === c)).map((o) => ({ ...o, on: true }))
  const off = offered.filter((o) => !used.includes(o.id)).map((o) => ({ ...o, on: false }))
  return [...on, ...off]
}

/** The list to save: the channels that are on, in their order. */
export const chosenOf = (rows: readonly ChannelRow[]): Channel[] => rows.filter((r) => r.on).map((r) => r.id)

/** One channel turned on (it goes last among those on) or off. */
export function toggledChannel(rows: readonly ChannelRow[], id: Channel, on: boolean): Channel[] {
  const list = chosenOf(rows).filter((c) => c !== id)
  return on ? [...list, id] : list
}

/** A channel that is on, tried one place earlier. */
export function raisedChannel(rows: readonly ChannelRow[], id: Channel): Channel[] {
  const list = chosenOf(rows)
  const i = list.indexOf(id)
  if (i <= 0) return list
  return [...list.slice(0, i - 1), id, list[i - 1] as Channel, ...list.slice(i + 1)]
}
