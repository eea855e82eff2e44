import { computed, onMounted, reactive, ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { leavePage } from '../../composables/leave-page.ts'
import { useMeetingsStore } from './meetings.store.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { useSyncStore } from '../../sync/sync.store.ts'
import {
  blankMinutes,
  expectedFor,
  LEADERSHIP_TYPES,
  MEETING_TYPES,
  readsNotes,
  type MeetingType,
  type TalkKind,
} from '../../../core/domain/meetings.ts'
import { defaultMeetingStart } from '../../../core/domain/meeting-time.ts'
import { signInWindowText } from './status-text.ts'
import { usePeopleStore } from '../people/people.store.ts'

/**
 * The form to schedule or edit a meeting, offline. Nothing typed twice: expected attendees follow the type
 * (支部委员会 the committee, 党小组会 the group, the rest the branch), and are never saved empty.
 */
export function useMeetingForm() {
  const meetings = useMeetingsStore()
  const people = usePeopleStore()
  const session = useSessionStore()
  const sync = useSyncStore()
  const route = useRoute()
  const router = useRouter()
  const editing = computed(() => (typeof route.params.id === 'string' ? (meetings.byId.get(route.params.id) ?? null) : null))
  const isAdmin = computed(() => session.isAdmin)
  // A member who is not a secretary records only the talks they hold (a 支部委员's 谈心谈话).
  const onlyTalks = computed(() => !session.isManager)
  const form = reactive({
    type: (onlyTalks.value ? 'heart_talk' : 'branch_committee') as MeetingType,
    talkKind: 'heart' as TalkKind,
    topic: '',
    // The coming half hour: a meeting put in on the spot can be signed in to at once.
    ...defaultMeetingStart(new Date()),
    durationMinutes: 90,
    place: '',
    speaker: '',
    talkWithId: '',
    branchId: session.user?.branchId ?? '',
    groupId: '',
    expectedIds: [] as string[],
    agenda: '',
    // Empty: the type's template is the field's placeholder, never saved as if it were minutes.
    minutes: '',
  })
  const error = ref<string | null>(null)
  /** When members can sign in, for the time on the form (the code page shows codes only then). */
  const signInWindow = computed(() => {
    const startsAt = new Date(`${form.date}T${form.time}:00+08:00`)
    const minutes = Number(form.durationMinutes)
    return Number.isNaN(startsAt.getTime()) || !Number.isFinite(minutes)
      ? null
      : signInWindowText({ startsAt: startsAt.toISOString(), durationMinutes: minutes })
  })
  const leadership = computed(() => LEADERSHIP_TYPES.includes(form.type))
  /** Types offered: the leadership's only to administrators, only 谈心谈话 to a member who is not a secretary. */
  const types = computed(() =>
    onlyTalks.value ? (['heart_talk'] as const) : MEETING_TYPES.filter((t) => isAdmin.value || !LEADERSHIP_TYPES.includes(t)),
  )
  /** Editing a talk one did not hold: its notes are the two talkers' only, so the fields are not shown. */
  const notes = computed(() => !editing.value || readsNotes(editing.value, session.user?.id ?? ''))
  const candidates = computed(() => people.people.filter((p) => leadership.value || p.branchId === form.branchId))
  const groups = computed(() => meetings.branches.find((b) => b.id === form.branchId)?.groups ?? [])
  /** The branch's people have not reached this phone yet (just signed in, first sync under way). */
  const rosterMissing = computed(() => !leadership.value && !!form.branchId && candidates.value.length === 0)
  let touchedExpected = false
  // Prefilled from elsewhere, e.g. the month's collective political birthday (type, topic, who).
  if (!editing.value) {
    const q = route.query
    if (typeof q.type === 'string' && (MEETING_TYPES as readonly string[]).includes(q.type) && !onlyTalks.value) {
      form.type = q.type as MeetingType
    }
    if (typeof q.topic === 'string') form.topic = q.topic.slice(0, 200)
    if (typeof q.talkWith === 'string') form.talkWithId = q.talkWith
    if (typeof q.expected === 'string' && q.expected) {
      form.expectedIds = q.expected.split(',').slice(0, 1000)
      touchedExpected = true
    }
  }

  watch(
    editing,
    (m) => {
      if (!m) return
      const local = new Date(Date.parse(m.startsAt) + 8 * 3600_000).toISOString()
      const groupId = m.type === 'group' ? (people.people.find((p) => m.expectedIds.includes(p.id) && p.groupId)?.groupId ?? '') : ''
      Object.assign(form, {
        type: m.type,
        topic: m.topic,
        date: local.slice(0, 10),
        time: local.slice(11, 16),
        durationMinutes: m.durationMinutes,
        place: m.place,
        speaker: m.speaker,
        talkWithId: m.talkWithId ?? '',
        talkKind: m.talkKind ?? 'heart',
        branchId: m.branchId ?? '',
        groupId,
        expectedIds: [...m.expectedIds],
        agenda: m.agenda,
        minutes: blankMinutes(m.minutes) ? '' : m.minutes,
      })
      touchedExpected = true
    },
    { immediate: true },
  )
  // Expected attendees follow the type, the branch and the group, and fill in as the people arrive on the phone.
  watch(
    () => [form.type, form.branchId, form.groupId, form.talkWithId, people.people.length] as const,
    () => {
      if (form.type === 'group' && !groups.value.some((g) => g.id === form.groupId)) form.groupId = groups.value[0]?.id ?? ''
      if (!touchedExpected)
        form.expectedIds = expectedFor(form.type, people.people, {
          branchId: form.branchId || null,
          groupId: form.groupId || null,
          organiserId: editing.value?.organiserId ?? session.user?.id,
          talkWithId: form.talkWithId || null,
        })
    },
    { immediate: true },
  )
  /** Choosing another type proposes that type's people again (committee, group, branch). */
  function chooseType(t: MeetingType): void {
    if (t === form.type) return
    touchedExpected = false
    form.type = t
  }
  // Signed in a moment ago: fetch the roster now rather than at the next timed sync.
  onMounted(() => {
    if (rosterMissing.value) void sync.syncNow()
  })
  const toggle = (id: string) => {
    touchedExpected = true
    form.expectedIds = form.expectedIds.includes(id) ? form.expectedIds.filter((x) => x !== id) : [...form.expectedIds, id]
  }

  async function submit(): Promise<void> {
    error.value = null
    const startsAt = new Date(`${form.date}T${form.time}:00+08:00`)
    if (Number.isNaN(startsAt.getTime())) {
      error.value = '请填写会议日期和时间'
      return
    }
    // Never an empty 应到 without saying so: the ledger would show nobody expected.
    if (form.expectedIds.length === 0) {
      error.value = rosterMissing.value
        ? '本支部的人员名单还没有同步到本机，暂时无法列出应到人员。请联网稍候，名单到达后会自动列出。'
        : form.type === 'group' && !form.groupId
          ? '请选择党小组'
          : '应到人员为空，请至少选择一人'
      return
    }
    const input = {
      branchId: leadership.value ? null : form.branchId || null,
      type: form.type,
      topic: form.topic,
      startsAt: startsAt.toISOString(),
      durationMinutes: Number(form.durationMinutes),
      place: form.place,
      organiserId: editing.value?.organiserId ?? session.user?.id ?? '',
      speaker: form.type === 'party_lesson' ? form.speaker : '',
      expectedIds: form.expectedIds,
      agenda: form.agenda,
      minutes: blankMinutes(form.minutes) ? '' : form.minutes,
      talkWithId: form.type === 'heart_talk' ? form.talkWithId || null : null,
      talkKind: form.type === 'heart_talk' ? form.talkKind : null,
    }
    try {
      if (editing.value) {
        await meetings.update(editing.value.id, input)
        await leavePage(router, `/meetings/${editing.value.id}`)
      } else {
        const m = await meetings.create(input)
        await router.replace(`/meetings/${m.id}`)
      }
    } catch (err) {
      error.value = err instanceof Error ? err.message : '保存失败'
    }
  }
  return {
    meetings,
    people,
    session,
    editing,
    isAdmin,
    form,
    error,
    signInWindow,
    leadership,
    types,
    notes,
    candidates,
    groups,
    rosterMissing,
    chooseType,
    toggle,
    submit,
  }
}
