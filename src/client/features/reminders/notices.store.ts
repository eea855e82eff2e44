import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { Notice } from '../../../core/domain/reminders.ts'
import { useSessionStore } from '../../session/session.store.ts'

/** In-app notices due since the app was last opened here, taken once per app start (small: loads with 首页). */
export const useNoticesStore = defineStore('notices', () => {
  const session = useSessionStore()
  const notices = shallowRef<Notice[]>([])
  let taken = false
  async function takeOnce(): Promise<void> {
    if (taken || !session.db || !session.user) return
    taken = true
    const { takeNotices } = await import('./notices.ts')
    notices.value = await takeNotices(session.db, session.user)
  }
  const dismiss = (key: string) => (notices.value = notices.value.filter((n) => n.key !== key))
  return { notices, takeOnce, dismiss }
})
