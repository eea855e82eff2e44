import { describe, expect, it } from 'vitest'
import { personalCalendar } from './ics.ts'

const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, '')

describe('personal calendar feed', () => {
  it('recurs yearly from the first political birthday, with a reminder at 09:00 on the day', () => {
    const ics = unfold(personalCalendar({ id: 'u1', name: '张三', joinedPartyOn: '2006-07-01' }, 'example.org'))
    expect(ics).toContain('DTSTART;VALUE=DATE:20070701')
    expect(ics).toContain('RRULE:FREQ=YEARLY')
    expect(ics).toContain('TRIGGER:PT9H')
    expect(ics).toContain('SUMMARY:政治生日')
    expect(ics).toContain('永不叛党')
  })

  it('puts a 29 February admission on the last day of February', () => {
    const ics = unfold(personalCalendar({ id: 'u2', name: '李四', joinedPartyOn: '2004-02-29' }, 'example.org'))
    expect(ics).toContain('DTSTART;VALUE=DATE:20050228')
    expect(ics).toContain('RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1')
  })

  it('is a valid empty calendar when 入党日期 is unknown', () => {
    const ics = personalCalendar({ id: 'u3', name: '王五', joinedPartyOn: null }, 'example.org')
    expect(ics).toContain('BEGIN:VCALENDAR')
    expect(ics).not.toContain('BEGIN:VEVENT')
  })
})

describe('parsed with a real ICS parser', () => {
  it("the feed has a yearly political birthday with an alarm, and the member's meetings", async () => {
    const { default: ICAL } = await import('ical.js')
    const ics = personalCalendar({ id: 'u1', name: '张三', joinedPartyOn: '2006-07-01' }, 'example.org', [
      {
        id: 'm1',
        type: 'theme_day',
        topic: '12月主题党日',
        startsAt: '2026-12-05T01:30:00.000Z',
        durationMinutes: 90,
        place: '会议室',
        agenda: '',
      },
    ])
    const cal = new ICAL.Component(ICAL.parse(ics))
    const events = cal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e))
    const birthday = events.find((e) => e.summary === '政治生日')
    expect(birthday?.isRecurring()).toBe(true)
    expect(birthday?.component.getFirstPropertyValue('rrule')?.toString()).toBe('FREQ=YEARLY')
    expect(birthday?.startDate.toString()).toBe('2007-07-01')
    expect(birthday?.component.getFirstSubcomponent('valarm')?.getFirstPropertyValue('trigger')?.toString()).toBe('PT9H')
    const meeting = events.find((e) => e.summary === '主题党日：12月主题党日')
    expect(meeting?.startDate.toJSDate().toISOString()).toBe('2026-12-05T01:30:00.000Z')
    expect(meeting?.location).toBe('会议室')
  })
})
