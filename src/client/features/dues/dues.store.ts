import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { DuesPayment, DuesProfile } from '../../../core/schemas/entities.ts'
import { monthOf } from '../../../core/domain/dues-rules.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { useLiveQuery } from '../../db/live.ts'
import type { ResponseOf } from '../../../core/contracts/contract.ts'
import type { setDuesCollector } from '../../../core/contracts/dues.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { usePeopleStore } from '../people/people.store.ts'
import { useSyncStore } from '../../sync/sync.store.ts'
import { localConsents, type LocalConsent } from '../../composables/consent.ts'
import { declareDues, recordReceipt, voidReceipt, type Declaration, type ReceiptInput } from './dues.repo.ts'

/**
 * 党费 on this phone: the declarations and receipts the server let this person see (their own; a
 * 收缴员's or secretary's branch; an administrator's organisation). Writes go through dues.repo.ts.
 */
export const useDuesStore = defineStore('dues', () => {
  const session = useSessionStore()
  const people = usePeopleStore()
  const profiles = useLiveQuery<DuesProfile[]>(async () => (session.db ? session.db.dues_profiles.toArray() : []), [], [() => session.db])
  const payments = useLiveQuery<DuesPayment[]>(
    async () => ((await session.db?.dues_payments.toArray()) ?? []).filter((p) => !p.deleted),
    [],
    [() => session.db],
  )
  /** The member's own answer to the 党费基数 consent on this phone (undefined: 尚未询问). */
  const baseConsent = useLiveQuery<LocalConsent | undefined>(
    async () => (session.db ? (await localConsents(session.db))['dues-base'] : undefined),
    undefined,
    [() => session.db],
  )
  /** Refreshed when a page opens, so "this month" is right after midnight too. */
  const today = ref(chinaToday(new Date()))
  const month = computed(() => monthOf(today.value))
  const refreshToday = () => (today.value = chinaToday(new Date()))

  const profileOf = (memberId: string) => profiles.value.find((p) => p.memberId === memberId)
  const myProfile = computed(() => (session.user ? profileOf(session.user.id) : undefined))

  /** Is the signed-in person the 收缴员 their branch names? */
  const isCollector = computed(() => {
    const u = session.user
    return !!u?.branchId && people.branches.some((b) => b.id === u.branchId && b.duesCollectorId === u.id)
  })
  /** May they record receipts for this branch: its 收缴员, or its secretary as a backup. */
  const recordsFor = (branchId: string | null) => {
    const u = session.user
    if (!u || !branchId || u.branchId !== branchId) return false
    return u.role === 'secretary' || isCollector.value
  }
  /** Does this person open the branch's collection page: 收缴员, secretaries, administrators. */
  const collects = computed(() => isCollector.value || session.isManager)

  function db() {
    if (!session.db || !session.user) throw new Error('未登录')
    return { db: session.db, user: session.user }
  }
  const declare = (member: { id: string; branchId: string | null }, d: Declaration) => {
    const { db: d0, user } = db()
    return declareDues(d0, user, member, d)
  }
  const record = (input: ReceiptInput) => {
    const { db: d0, user } = db()
    return recordReceipt(d0, user, profileOf(input.memberId), input)
  }
  const voidIt = (id: string) => voidReceipt(db().db, id)
  async function setCollector(branchId: string, memberId: string | null): Promise<void> {
    // Online only (an administrative act, in the audit log). The call is made here, not in api/
    // (whose files are in every screen's first load), since only this page makes it.
    const { createHttpClient } = await import('../../api/http.ts')
    await createHttpClient().post<ResponseOf<typeof setDuesCollector>>(`/api/dues/collector/${encodeURIComponent(branchId)}`, { memberId })
    // The branch row names the new 收缴员: fetch it now rather than at the next sync.
    void useSyncStore().syncNow()
  }
  return {
    profiles,
    payments,
    today,
    month,
    refreshToday,
    profileOf,
    myProfile,
    baseConsent,
    isCollector,
    collects,
    recordsFor,
    declare,
    record,
    voidReceipt: voidIt,
    setCollector,
  }
})
