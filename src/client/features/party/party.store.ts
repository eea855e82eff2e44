import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { OathRenewal, UserProfile } from '../../../core/schemas/entities.ts'
import {
  birthdaysByMonth,
  nextPoliticalBirthday,
  partyStanding,
  politicalBirthdayToday,
  upcomingPoliticalBirthdays,
} from '../../../core/domain/political-birthday.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { useLiveQuery } from '../../db/live.ts'
import { ValidationError } from '../../db/errors.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { everyone } from '../people/people.repo.ts'
import type { PartyDates } from './party.repo.ts'

const withDates = (u: UserProfile): UserProfile => ({ ...u, joinedPartyOn: u.joinedPartyOn ?? null, fullMemberOn: u.fullMemberOn ?? null })

/** Political birthday and 党龄 for the member; the branch's coming political birthdays for secretaries. */
export const usePartyStore = defineStore('party', () => {
  const session = useSessionStore()
  const today = ref(chinaToday(new Date()))
  const people = useLiveQuery<UserProfile[]>(
    async () => (session.db ? (await everyone(session.db)).map(withDates) : []),
    [],
    [() => session.db],
  )
  const me = computed(() => people.value.find((u) => u.id === session.user?.id) ?? null)
  const renewals = useLiveQuery<OathRenewal[]>(
    async () => ((await session.db?.oath_renewals.toArray()) ?? []).filter((r) => !r.deleted),
    [],
    [() => session.db],
  )
  const renewedToday = computed(() => renewals.value.some((r) => r.ownerId === session.user?.id && r.date === today.value))
  /** Who in view re-took the oath this year (the secretary's record of the ceremony). */
  const renewedThisYear = computed(
    () => new Set(renewals.value.filter((r) => r.date.slice(0, 4) === today.value.slice(0, 4)).map((r) => r.ownerId)),
  )

  const birthdayToday = computed(() => politicalBirthdayToday(me.value?.joinedPartyOn ?? null, today.value))
  const nextBirthday = computed(() => nextPoliticalBirthday(me.value?.joinedPartyOn ?? null, today.value))
  const standing = computed(() => partyStanding(me.value?.fullMemberOn ?? null, today.value))
  /** Whom the secretary's (or administrator's) list covers: the branch, or the organisation, the viewer included (a secretary is a member of his branch too). */
  const managed = computed(() => people.value.filter((u) => !u.removed && (session.isAdmin || u.branchId === session.user?.branchId)))
  /** Secretaries and administrators: whose political birthday falls in the coming 30 days. */
  const upcoming = computed(() => (!session.isManager ? [] : upcomingPoliticalBirthdays(managed.value, today.value, 30)))

  /** Secretaries and administrators: the coming twelve months' political birthdays, by month. */
  const byMonth = computed(() => (!session.isManager ? [] : birthdaysByMonth(managed.value, today.value)))

  async function save(dates: PartyDates): Promise<void> {
    if (!session.db || !session.user) throw new Error('未登录')
    const { savePartyDates } = await import('./party.repo.ts')
    await savePartyDates(session.db, session.user.id, dates)
  }

  async function renewOath(): Promise<void> {
    if (!session.db || !session.user) throw new Error('未登录')
    const { recordOathRenewal } = await import('./party.repo.ts')
    await recordOathRenewal(session.db, session.user, today.value)
  }

  /** The greeting card as an image to save or share. */
  async function shareCard(): Promise<'shared' | 'saved'> {
    const u = session.user
    const nth = birthdayToday.value
    if (!u || nth === null) throw new ValidationError('今天不是您的政治生日')
    const { birthdayImage, shareOrSave } = await import('./birthday-image.ts')
    const [y, m, d] = today.value.split('-').map(Number)
    const blob = await birthdayImage({ name: u.name, nth, dateText: `${y}年${m}月${d}日`, orgName: u.branchName ?? u.orgName })
    return shareOrSave(blob, `政治生日-${today.value}.png`)
  }

  return { shareCard, byMonth, today, me, birthdayToday, nextBirthday, standing, upcoming, renewedToday, renewedThisYear, save, renewOath }
})
