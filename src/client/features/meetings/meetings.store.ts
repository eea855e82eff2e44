import { defineStore } from 'pinia'
import type { MyStatus } from './status-text.ts'
import { computed, ref } from 'vue'
import type { Attendance, Makeup, Meeting } from '../../../core/schemas/entities.ts'
import {
  compliance,
  DEFAULT_RULES,
  meetingProgress,
  meetingStats,
  rulesFor,
  type AttendanceStatus,
  type Rule,
} from '../../../core/domain/meetings.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { signInPhase } from '../../../core/domain/sign-in-token.ts'
import { attendanceId } from '../../../core/attendance-id.ts'
import { api } from '../../api/client.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { usePeopleStore } from '../people/people.store.ts'
import { useClockStore } from './clock.store.ts'
import type { MeetingInput } from './meetings.repo.ts'
import { isAdmin, isManager } from '../../../core/domain/authority.ts'
import { loadOnce } from '../../composables/load-once.ts'

// Writes validate with the shared schemas: loaded on the first write, not with the home screen.
const writes = loadOnce(() => import('./meetings.repo.ts'))

const ORG_STARTED = 'org-started-on'

/** The China day a UUIDv7 was made (its first 48 bits are the Unix time in ms); null for anything else. */
function idDay(id: string | undefined): string | null {
  if (!id || id[14] !== '7') return null
  return chinaToday(new Date(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)))
}

export type { MyStatus }

/** Meetings on this phone (as the server's scope allowed), attendance, 补学 and the compliance view. */
export const useMeetingsStore = defineStore('meetings', () => {
  const session = useSessionStore()
  const people = usePeopleStore()
  const me = () => session.user?.id ?? ''
  const meetings = useLiveQuery<Meeting[]>(
    async () => ((await session.db?.meetings.orderBy('startsAt').toArray()) ?? []).filter((m) => !m.deleted),
    [],
    [() => session.db],
  )
  const attendance = useLiveQuery<Attendance[]>(async () => (await session.db?.attendance.toArray()) ?? [], [], [() => session.db])
  const makeups = useLiveQuery<Makeup[]>(
    async () => ((await session.db?.makeups.toArray()) ?? []).filter((x) => !x.deleted),
    [],
    [() => session.db],
  )
  /** Attendance rows with a change this phone has not yet handed to the server (only the outbox's index keys are read). */
  const unsentAttendance = useLiveQuery<Set<string>>(
    async () => {
      const keys: unknown[] = (await session.db?.outbox.orderBy('[table+rowId]').uniqueKeys()) ?? []
      return new Set(keys.flatMap((k) => (Array.isArray(k) && k[0] === 'attendance' ? [String(k[1])] : [])))
    },
    new Set(),
    [() => session.db],
  )
  const rules = useLiveQuery<Rule[]>(
    async () => ((await session.db?.meta.get('rules'))?.value as Rule[] | undefined) ?? DEFAULT_RULES,
    DEFAULT_RULES,
    [() => session.db],
  )
  /** The day the organisation started: from the server, else from its id (a UUIDv7 holds the moment it was made). */
  const orgStartedOn = useLiveQuery<string | null>(
    async () => ((await session.db?.meta.get(ORG_STARTED))?.value as string | undefined) ?? idDay(session.user?.orgId),
    null,
    [() => session.db],
  )
  const now = ref(Date.now())
  const tick = () => (now.value = Date.now())

  const byId = computed(() => new Map(meetings.value.map((m) => [m.id, m])))
  const attendanceOf = (meetingId: string) => attendance.value.filter((a) => a.meetingId === meetingId)
  const myRow = (meetingId: string) => attendance.value.find((a) => a.meetingId === meetingId && a.memberId === me()) ?? null
  const manages = (m: Pick<Meeting, 'branchId'>) => session.manages(m.branchId)
  const started = (m: Meeting) => Date.parse(m.startsAt) <= now.value
  const upcoming = computed(() => meetings.value.filter((m) => Date.parse(m.startsAt) + m.durationMinutes * 60_000 >= now.value))
  const past = computed(() => meetings.value.filter((m) => Date.parse(m.startsAt) + m.durationMinutes * 60_000 < now.value).reverse())

  function myStatus(m: Meeting): MyStatus {
    const row = myRow(m.id)
    if (row?.status === 'present') return 'present'
    if (row?.status === 'leave') return 'leave'
    if (row?.leaveState === 'requested') return 'leave-requested'
    if (row?.leaveState === 'declined' && !started(m)) return 'leave-declined'
    if (row?.status === 'absent') return 'absent'
    if (!started(m)) return 'upcoming'
    return m.expectedIds.includes(me()) ? 'missing' : 'upcoming'
  }

  /** 未召开, 进行中 until the sign-in window closes, then 已召开: nobody unmarked is absent before that. */
  const progress = (m: Meeting) => meetingProgress(m, now.value)
  const stats = (m: Meeting) =>
    meetingStats(
      m.expectedIds,
      attendanceOf(m.id).map((a) => ({ memberId: a.memberId, status: a.status })),
      progress(m) === 'closed',
    )

  /** What each body the viewer manages still owes (their branch; every branch and the leadership for administrators). */
  const complianceView = computed(() => {
    const u = session.user
    if (!u || !isManager(u.role)) return []
    const bodies: { id: string | null; name: string }[] = isAdmin(u.role)
      ? [{ id: null, name: '机关党委（中心组）' }, ...branches.value.filter((b) => !b.archived).map((b) => ({ id: b.id, name: b.name }))]
      : u.branchId
        ? [{ id: u.branchId, name: u.branchName ?? '本支部' }]
        : []
    // Judged only from when the organisation (and the branch) started: nothing is owed for the time before.
    const since = (id: string | null) =>
      [orgStartedOn.value, id ? (branches.value.find((b) => b.id === id)?.startedOn ?? idDay(id)) : null]
        .filter((d): d is string => !!d)
        .sort()
        .at(-1) ?? null
    return bodies.map((b) => ({
      ...b,
      items: compliance(
        rulesFor(rules.value, b.id),
        meetings.value.filter((m) => m.branchId === b.id),
        new Date(now.value),
        since(b.id),
      ),
    }))
  })
  const branches = computed(() => people.branches)
  const branchName = computed(() => new Map(branches.value.map((b) => [b.id, b.name])))

  async function refreshRules(): Promise<void> {
    try {
      const r = await api.rules()
      await session.db?.meta.bulkPut([{ key: 'rules', value: r.rules }, ...(r.startedOn ? [{ key: ORG_STARTED, value: r.startedOn }] : [])])
    } catch {
      // offline: the rules kept on the phone (or the defaults) still apply
    }
  }

  /** Administrators set the organisation's frequencies (online: the server keeps them for every phone). */
  async function saveRules(next: Rule[] | null): Promise<void> {
    const { adminApi } = await import('../../api/admin-client.ts')
    const r = await adminApi.setRules(next)
    await session.db?.meta.put({ key: 'rules', value: r.rules })
  }

  const need = () => {
    if (!session.db || !session.user) throw new Error('未登录')
    return { db: session.db, user: session.user }
  }

  /**
   * The one showing the sign-in code is at the meeting and never scans it: while the sign-in is
   * open, record him present by his own hand, unless he already has attendance (a scan, a leave, a
   * mark). Only for the organiser or one expected at the meeting. True when a mark was written.
   */
  async function markShowerPresent(m: Meeting): Promise<boolean> {
    const { db, user } = need()
    if (m.organiserId !== user.id && !m.expectedIds.includes(user.id)) return false
    if (signInPhase(m, useClockStore().now()) !== 'open') return false
    if (await db.attendance.get(attendanceId(m.id, user.id))) return false
    await (await writes()).markAttendance(db, user, m, user.id, 'present')
    return true
  }

  return {
    meetings,
    attendance,
    makeups,
    rules,
    byId,
    branches,
    branchName,
    upcoming,
    past,
    complianceView,
    attendanceOf,
    unsentAttendance,
    myRow,
    manages,
    started,
    myStatus,
    progress,
    stats,
    tick,
    refreshRules,
    saveRules,
    create: async (input: MeetingInput) => (await writes()).createMeeting(need().db, need().user, input),
    update: async (id: string, patch: Partial<MeetingInput>) => (await writes()).updateMeeting(need().db, id, patch),
    cancel: async (id: string) => (await writes()).cancelMeeting(need().db, id),
    /** `at`: when the code was scanned (the server's time as this phone knows it); now by default. */
    signIn: async (text: string, at = useClockStore().now()) => (await writes()).signInWithCode(need().db, need().user, text, at),
    requestLeave: async (m: Meeting, reason: string) => (await writes()).requestLeave(need().db, need().user, m, reason),
    markShowerPresent,
    mark: async (m: Meeting, memberId: string, status: AttendanceStatus) =>
      (await writes()).markAttendance(need().db, need().user, m, memberId, status),
    decideLeave: async (m: Meeting, memberId: string, decision: 'approved' | 'declined') =>
      (await writes()).decideLeave(need().db, need().user, m, memberId, decision),
    fileMakeup: async (m: Meeting, input: { content: string; date: string; notes: string }) =>
      (await writes()).fileMakeup(need().db, need().user, m, input),
    confirmMakeup: async (id: string) => (await writes()).confirmMakeup(need().db, need().user, id),
    addPhotos: async (meetingId: string, files: File[]) => {
      const { compressPhoto } = await import('../../photos/compress.ts')
      const photos = []
      for (const f of files) photos.push(await compressPhoto(f))
      await (await writes()).addMeetingPhotos(need().db, meetingId, photos)
    },
  }
})
