import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../../api/client.ts'
import { useRequest } from '../../composables/use-request.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import {
  appliesTo,
  DEFAULT_PREFS,
  REMINDER_INFO,
  REMINDER_KINDS,
  type ReminderKind,
  type ReminderPrefs,
} from '../../../core/domain/reminders.ts'
import { readReminderPrefs } from './reminders.queries.ts'
import { channelRows, raisedChannel, toggledChannel } from './channels.ts'
import type { Channel } from '../../../core/domain/reminder-channels.ts'
import { currentSubscription, disablePush, enablePush, permission, pushSupport, PushSetupError, type PushSupport } from './web-push.ts'

export type PushState = 'on' | 'off' | 'denied' | Exclude<PushSupport, 'supported'>

/** Reminder settings (kept offline, synced), this phone's push subscription, and in-app notices. */
export const useRemindersStore = defineStore('reminders', () => {
  const session = useSessionStore()
  const prefs = useLiveQuery<ReminderPrefs>(
    () => (session.db && session.user ? readReminderPrefs(session.db, session.user.id) : DEFAULT_PREFS),
    DEFAULT_PREFS,
    [() => session.db],
  )
  const kinds = computed(() =>
    REMINDER_KINDS.filter((k) => session.user && appliesTo(k, session.user.role)).map((k) => ({ kind: k, ...REMINDER_INFO[k] })),
  )

  const push = ref<PushState>('off')
  const message = ref<string | null>(null)
  const { busy, error, run } = useRequest('需要联网才能开启或关闭通知')

  async function refreshPush(): Promise<void> {
    const support = pushSupport()
    if (support !== 'supported') push.value = support
    else if (permission() === 'denied') push.value = 'denied'
    else push.value = (await currentSubscription()) ? 'on' : 'off'
  }

  const enable = () =>
    run(async () => {
      message.value = null
      try {
        await enablePush(api)
        message.value = '已开启。可点“发送测试通知”确认能收到。'
      } catch (err) {
        if (!(err instanceof PushSetupError)) throw err
        message.value = err.message
      }
      await refreshPush()
    })

  const disable = () =>
    run(async () => {
      await disablePush(api)
      message.value = '已关闭本机通知。'
      await refreshPush()
    })

  const test = () =>
    run(async () => {
      const r = await api.testPush()
      message.value = r.sent > 0 ? `已发送到 ${r.sent} 台设备，请留意通知栏。` : '没有能接收通知的设备，请先开启。'
    })

  async function set(kind: ReminderKind | 'quietStart' | 'quietEnd', value: boolean | string): Promise<void> {
    if (!session.db || !session.user) return
    const { saveReminderPrefs } = await import('./reminders.repo.ts')
    await saveReminderPrefs(session.db, session.user, { [kind]: value })
  }

  /** The channels this organ offers (from the server; null until known, e.g. offline). */
  const offered = ref<{ id: Channel; label: string }[] | null>(null)
  /** The last attempt to learn them failed (offline): the page says the choice needs a connection. */
  const channelsOffline = ref(false)
  async function loadChannels(): Promise<void> {
    try {
      offered.value = (await api.reminderChannels()).channels
      channelsOffline.value = false
    } catch {
      // What was chosen stays as it is; the job goes by it.
      channelsOffline.value = offered.value === null
    }
  }
  const channels = computed(() => (offered.value ? channelRows(prefs.value.channels, offered.value) : []))
  async function saveChannels(list: Channel[]): Promise<void> {
    if (!session.db || !session.user) return
    const { saveReminderPrefs } = await import('./reminders.repo.ts')
    await saveReminderPrefs(session.db, session.user, { channels: list })
  }
  const toggleChannel = (id: Channel, on: boolean) => saveChannels(toggledChannel(channels.value, id, on))
  const raiseChannel = (id: Channel) => saveChannels(raisedChannel(channels.value, id))

  return {
    prefs,
    kinds,
    push,
    message,
    busy,
    error,
    refreshPush,
    enable,
    disable,
    test,
    set,
    offered,
    channelsOffline,
    channels,
    loadChannels,
    toggleChannel,
    raiseChannel,
  }
})
