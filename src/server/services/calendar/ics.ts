import { createEvents, type EventAttributes } from 'ics'
import { anniversaryIn, OATH } from '../../../core/domain/political-birthday.ts'
import { MEETING_TYPE_LABELS, type MeetingType } from '../../../core/domain/meetings.ts'

export interface CalendarPerson {
  id: string
  name: string
  joinedPartyOn: string | null
}

export interface CalendarMeeting {
  id: string
  type: string
  topic: string
  startsAt: string
  durationMinutes: number
  place: string
  agenda: string
  deleted?: boolean
}

/** A meeting as a timed event (UTC), with a reminder an hour before; cancelled ones stay, marked so. */
export function meetingEvent(m: CalendarMeeting, host: string): EventAttributes {
  const start = new Date(m.startsAt)
  return {
    uid: `meeting-${m.id}@${host}`,
    title: `${MEETING_TYPE_LABELS[m.type as MeetingType] ?? '会议'}：${m.topic}`,
    description: m.agenda || undefined,
    location: m.place || undefined,
    start: start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: m.durationMinutes },
    status: m.deleted ? 'CANCELLED' : 'CONFIRMED',
    alarms: [{ action: 'display', description: `${m.topic}（1小时后开始）`, trigger: { hours: 1, before: true } }],
    productId: 'suixing',
  }
}

export function meetingCalendar(m: CalendarMeeting, host: string): string {
  const { error, value } = createEvents([meetingEvent(m, host)], { productId: 'suixing/党建随行', method: 'PUBLISH' })
  if (error || !value) throw error ?? new Error('calendar could not be built')
  return value
}

const ymd = (date: string): [number, number, number] => date.split('-').map(Number) as [number, number, number]

/**
 * A person's calendar: their political birthday as a yearly all-day event with a reminder at
 * 09:00 on the day. A 29 February admission recurs on the last day of February (29th in leap
 * years, 28th otherwise), the same rule the app uses.
 */
export function personalCalendar(person: CalendarPerson, host: string, meetings: readonly CalendarMeeting[] = []): string {
  const events: EventAttributes[] = meetings.map((m) => meetingEvent(m, host))
  if (person.joinedPartyOn) {
    const [y, m, d] = ymd(person.joinedPartyOn)
    const first = ymd(anniversaryIn(person.joinedPartyOn, y + 1))
    const end = new Date(Date.UTC(first[0], first[1] - 1, first[2] + 1))
    events.push({
      uid: `political-birthday-${person.id}@${host}`,
      title: '政治生日',
      description: `入党日期：${person.joinedPartyOn}。不忘入党初心，牢记党员身份。\n重温入党誓词：${OATH}`,
      start: first,
      end: [end.getUTCFullYear(), end.getUTCMonth() + 1, end.getUTCDate()],
      recurrenceRule: m === 2 && d === 29 ? 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1' : 'FREQ=YEARLY',
      alarms: [
        { action: 'display', description: `今天是您的政治生日（${person.name}）`, trigger: { hours: 9, minutes: 0, before: false } },
      ],
      productId: 'suixing',
    })
  }
  const { error, value } = createEvents(events, { productId: 'suixing/党建随行', calName: '党建随行', method: 'PUBLISH' })
  if (error || !value) throw error ?? new Error('calendar could not be built')
  return value
}
