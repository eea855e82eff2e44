import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../../api/client.ts'
import { useRequest } from '../../composables/use-request.ts'

/** The member's calendar subscription: political birthday reminders from the phone's own calendar. */
export const useCalendarStore = defineStore('calendar', () => {
  const active = ref<boolean | null>(null)
  /** Shown once, right after it is made (the server keeps only its hash). */
  const link = ref<string | null>(null)
  const { busy, error, run: guard } = useRequest('需要联网才能设置日历订阅')

  const refresh = () =>
    guard(async () => {
      active.value = (await api.calendarStatus()).active
    })
  const create = () =>
    guard(async () => {
      const { path } = await api.newCalendarLink()
      link.value = `${window.location.origin}${path}`
      active.value = true
    })
  const revoke = () =>
    guard(async () => {
      await api.revokeCalendarLink()
      link.value = null
      active.value = false
    })

  return { active, link, error, busy, refresh, create, revoke }
})
