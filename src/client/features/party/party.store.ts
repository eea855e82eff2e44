import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { UserProfile } from '../../../core/schemas/entities.ts'
import {
  chinaToday, nextPoliticalBirthday, partyStanding, politicalBirthdayToday, upcomingPoliticalBirthdays,
} from '../../../core/domain/political-birthday.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../auth/session.store.ts'
import type { PartyDates } from './party.repo.ts'

const withDates = (u: UserProfile): UserProfile => ({ ...u, joinedPartyOn: u.joinedPartyOn ?? null, fullMemberOn: u.fullMemberOn ?? null })

/** Political birthday and 党龄 for the member; the branch's coming political birthdays for secretaries. */
export const usePartyStore = defineStore('party', () => {
  const session = useSessionStore()
  const today = ref(chinaToday(new Date()))
  const people = useLiveQuery<UserProfile[]>(async () => ((await session.db?.users.toArray()) ?? []).map(withDates), [], [() => session.db])
  const me = computed(() => people.value.find((u) => u.id === session.user?.id) ?? null)

  const birthdayToday = computed(() => politicalBirthdayToday(me.value?.joinedPartyOn ?? null, today.value))
  const nextBirthday = computed(() => nextPoliticalBirthday(me.value?.joinedPartyOn ?? null, today.value))
  const standing = computed(() => partyStanding(me.value?.fullMemberOn ?? null, today.value))
  /** Secretaries and administrators: whose political birthday falls in the coming 30 days. */
  const upcoming = computed(() =>
    session.user?.role === 'member' ? [] : upcomingPoliticalBirthdays(people.value.filter((u) => u.id !== session.user?.id), today.value, 30),
  )

  async function save(dates: PartyDates): Promise<void> {
    if (!session.db || !session.user) throw new Error('未登录')
    const { savePartyDates } = await import('./party.repo.ts')
    await savePartyDates(session.db, session.user.id, dates)
  }

  return { today, me, birthdayToday, nextBirthday, standing, upcoming, save }
})
