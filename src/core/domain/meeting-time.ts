/**
 * When a new meeting starts unless the organiser says otherwise. Meetings are often put in on the
 * spot, just before they begin: in working hours the coming half hour (10 minutes' slack, so that
 * 09:05 gives 09:00), which keeps the sign-in open now; in the evening, 09:00 the next morning; early
 * in the morning, 09:00 that day. China time, whatever the phone's time zone.
 */
export function defaultMeetingStart(now: Date): { date: string; time: string } {
  const OFFSET = 8 * 3600_000
  const china = new Date(now.getTime() + OFFSET)
  const minutes = china.getUTCHours() * 60 + china.getUTCMinutes()
  const day = (plus: number) =>
    new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate() + plus)).toISOString().slice(0, 10)
  if (minutes < 8 * 60) return { date: day(0), time: '09:00' }
  if (minutes >= 18 * 60) return { date: day(1), time: '09:00' }
  const slot = Math.ceil((minutes - 10) / 30) * 30
  return { date: day(0), time: `${String(Math.floor(slot / 60)).padStart(2, '0')}:${String(slot % 60).padStart(2, '0')}` }
}
