import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Attendance, DuesPayment, DuesProfile, Makeup, Meeting, OutsideTraining } from '../../../core/schemas/entities.ts'
import { addMonths, monthOf } from '../../../core/domain/dues-rules.ts'
import type { TrainingReply } from '../../../core/contracts/training.ts'
import {
  DEFAULT_TRAINING_SETTINGS,
  NO_FLAGS,
  inFourthQuarter,
  shortList,
  trainingYear,
  type TrainingFlags,
  type TrainingSettings,
  type TrainingYear,
} from '../../../core/domain/training.ts'
import { firstMonthOf, sixMonthWatch, type PaidMonthsOf, type WatchRow } from '../../../core/domain/lapse-watch.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { managesBranch } from '../../../core/domain/authority.ts'
import type { CompressedPhoto } from '../../photos/compress.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { usePeopleStore } from '../people/people.store.ts'
import type { OutsideTrainingInput } from './training.repo.ts'
import { loadOnce } from '../../composables/load-once.ts'

const CACHE_KEY = 'training'
const ORG_STARTED = 'org-started-on'
const EMPTY: TrainingReply = { settings: DEFAULT_TRAINING_SETTINGS, custom: false, flags: {}, probations: [] }

const writes = loadOnce(() => import('./training.repo.ts'))
const http = () => import('../../api/training-client.ts').then((m) => m.trainingApi)

/**
 * 学时 on this phone: the member's private progress, and for a secretary the branch's overview
 * (who is short in the fourth quarter, the six-month watch, 预备期满, records to confirm). Counted
 * from the synced meetings, attendance, 补学 and outside training with core's rules; the
 * organisation's settings and the flags come from the server and are kept on the phone.
 */
export const useTrainingStore = defineStore('training', () => {
  const session = useSessionStore()
  const people = usePeopleStore()
  const db = () => session.db
  const cached = useLiveQuery<TrainingReply>(
    async () => ((await db()?.meta.get(CACHE_KEY))?.value as TrainingReply | undefined) ?? EMPTY,
    EMPTY,
    [db],
  )
  const orgStarted = useLiveQuery<string | null>(
    async () => ((await db()?.meta.get(ORG_STARTED))?.value as string | undefined) ?? null,
    null,
    [db],
  )
  const meetings = useLiveQuery<Meeting[]>(async () => ((await db()?.meetings.toArray()) ?? []).filter((m) => !m.deleted), [], [db])
  const attendance = useLiveQuery<Attendance[]>(async () => (await db()?.attendance.toArray()) ?? [], [], [db])
  const makeups = useLiveQuery<Makeup[]>(async () => ((await db()?.makeups.toArray()) ?? []).filter((k) => !k.deleted), [], [db])
  const outside = useLiveQuery<OutsideTraining[]>(
    async () => ((await db()?.outside_trainings.orderBy('endOn').reverse().toArray()) ?? []).filter((t) => !t.deleted),
    [],
    [db],
  )
  const now = ref(new Date())
  const year = computed(() => Number(chinaToday(now.value).slice(0, 4)))
  const settings = computed<TrainingSettings>(() => cached.value.settings)
  const flagsOf = (id: string): TrainingFlags => cached.value.flags[id] ?? NO_FLAGS
  // 党费 on this phone (a secretary holds the branch's): the six-month watch's months unpaid.
  const duesProfiles = useLiveQuery<DuesProfile[]>(async () => (await db()?.dues_profiles.toArray()) ?? [], [], [db])
  const duesPayments = useLiveQuery<DuesPayment[]>(
    async () => ((await db()?.dues_payments.toArray()) ?? []).filter((p) => !p.deleted && p.kind !== 'special'),
    [],
    [db],
  )
  /**
   * Months paid per member, from the receipts (特殊党费 covers no month), when the organisation keeps
   * 党费 in the app; null (the column is not shown) when no declaration is on the phone. A member owes
   * nothing before the month they pay from, nor anything at all before declaring (no figure is guessed).
   */
  const paidMonths = computed<PaidMonthsOf>(() => {
    if (duesProfiles.value.length === 0) return null
    const paid = new Map<string, Set<string>>()
    for (const p of duesPayments.value) {
      const set = paid.get(p.memberId) ?? new Set<string>()
      for (const m of p.months) set.add(m)
      paid.set(p.memberId, set)
    }
    const from = new Map(duesProfiles.value.map((d) => [d.memberId, d.fromMonth]))
    const lastMonth = addMonths(monthOf(chinaToday(now.value)), -1)
    return (memberId) => {
      const set = new Set(paid.get(memberId) ?? [])
      const start = from.get(memberId)
      set.add(start ? addMonths(start, -1) : lastMonth)
      return set
    }
  })
  const offline = ref(false)

  const yearOf = (memberId: string): TrainingYear =>
    trainingYear(
      {
        memberId,
        year: year.value,
        settings: settings.value,
        meetings: meetings.value,
        attendance: attendance.value,
        makeups: makeups.value,
        outside: outside.value,
        now: now.value,
      },
      flagsOf(memberId),
    )

  const me = computed(() => session.user?.id ?? '')
  const mine = computed(() => yearOf(me.value))
  const myOutside = computed(() => outside.value.filter((t) => t.memberId === me.value))

  /** The branch the viewer manages (a secretary's own; an administrator's own if placed), its people by name. */
  const branchId = computed(() => session.user?.branchId ?? null)
  const manages = computed(() => !!session.user && branchId.value !== null && managesBranch(session.user, branchId.value))
  const members = computed(() => (manages.value ? people.inBranch(branchId.value) : []))
  const overview = computed(() => members.value.map((p) => ({ id: p.id, name: p.name, flags: flagsOf(p.id), year: yearOf(p.id) })))
  /** Who is short, by name: shown only from October (the fourth quarter). */
  const showShort = computed(() => inFourthQuarter(now.value))
  const short = computed(() => shortList(overview.value))
  const watch = computed<(WatchRow & { name: string })[]>(() => {
    const rows = sixMonthWatch({
      now: now.value,
      members: members.value.map((p) => ({ id: p.id, firstMonth: firstMonthOf(p.id, meetings.value, now.value, orgStarted.value) })),
      meetings: meetings.value,
      attendance: attendance.value,
      makeups: makeups.value,
      paidMonths: paidMonths.value,
    })
    const name = new Map(members.value.map((p) => [p.id, p.name]))
    return rows.filter((r) => r.level !== 'none').map((r) => ({ ...r, name: name.get(r.memberId) ?? '' }))
  })
  const toConfirm = computed(() => outside.value.filter((t) => !t.confirmedAt && t.memberId !== me.value && t.branchId === branchId.value))

  /** The settings, flags and 预备期满 list from the server, kept on the phone for offline use. */
  async function refresh(): Promise<void> {
    now.value = new Date()
    try {
      const reply = await (await http()).training()
      await db()?.meta.put({ key: CACHE_KEY, value: reply })
      offline.value = false
    } catch {
      offline.value = true
    }
  }

  const need = () => {
    const d = db()
    if (!d || !session.user) throw new Error('未登录')
    return { db: d, user: session.user }
  }
  async function record(input: OutsideTrainingInput, photos: CompressedPhoto[]): Promise<void> {
    const { db: d, user } = need()
    await (await writes()).recordOutsideTraining(d, user, input, photos)
  }
  async function confirm(id: string, confirmed = true): Promise<void> {
    const { db: d, user } = need()
    await (await writes()).confirmOutsideTraining(d, user, id, confirmed)
  }
  async function withdraw(id: string): Promise<void> {
    await (await writes()).withdrawOutsideTraining(need().db, id)
  }
  async function setFlags(id: string, flags: TrainingFlags): Promise<void> {
    await (await http()).setFlags(id, flags)
    await refresh()
  }
  async function saveSettings(next: TrainingSettings | null): Promise<void> {
    const reply = await (await http()).setTraining(next)
    await db()?.meta.put({ key: CACHE_KEY, value: reply })
  }

  /** A page that writes is open: its write code loads now, so a tap does not wait for it (nor is lost to leaving at once). */
  const prepareToWrite = (): void => void writes().catch(() => undefined)

  return {
    prepareToWrite,
    /** The moment counted to (taken again on each refresh; tests set it). */
    now,
    settings,
    custom: computed(() => cached.value.custom),
    probations: computed(() => cached.value.probations),
    flagsOf,
    offline,
    year,
    mine,
    myOutside,
    manages,
    branchId,
    overview,
    showShort,
    short,
    watch,
    toConfirm,
    paidMonths,
    nameOf: computed(() => people.nameOf),
    refresh,
    record,
    confirm,
    withdraw,
    setFlags,
    saveSettings,
  }
})
