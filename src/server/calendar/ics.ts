import { createEvents, type EventAttributes } from 'ics'
import { anniversaryIn, OATH } from '../../core/domain/political-birthday.ts'

export interface CalendarPerson {
  id: string
  name: string
  joinedPartyOn: string | null
}

const ymd = (date: string): [number, number, number] => date.split('-').map(Number) as [number, number, number]

/**
 * A person's calendar: their political birthday as a yearly all-day event with a reminder at
 * 09:00 on the day. A 29 February admission recurs on the last day of February (29th in leap
 * years, 28th otherwise), the same rule the app uses.
 */
export function personalCalendar(person: CalendarPerson, host: string): string {
  const events: EventAttributes[] = []
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
      alarms: [{ action: 'display', description: `今天是您的政治生日（${person.name}）`, trigger: { hours: 9, minutes: 0, before: false } }],
      productId: 'suixing',
    })
  }
  const { error, value } = createEvents(events, { productId: 'suixing/党建随行', calName: '党建随行', method: 'PUBLISH' })
  if (error || !value) throw error ?? new Error('calendar could not be built')
  return value
}
