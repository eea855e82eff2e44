import { defineStore } from 'pinia'
import { ref } from 'vue'
import { adminApi as api } from '../../api/admin-client.ts'
import type { DeviceSession } from '../../api/endpoints.ts'
import { useRequest } from '../../composables/use-request.ts'

/** The member's signed-in devices (online only: the server holds the sessions). */
export const useDevicesStore = defineStore('devices', () => {
  const sessions = ref<DeviceSession[] | null>(null)
  const { busy, error, run } = useRequest('需要联网才能查看登录设备')
  const load = () =>
    run(async () => {
      sessions.value = (await api.sessions()).sessions
    })
  const signOut = (id: string) =>
    run(async () => {
      await api.revokeSession(id)
      sessions.value = (await api.sessions()).sessions
    })
  /** 退出其他设备: every device but this one (after a password was seen, a phone lent or lost). */
  const signOutOthers = () =>
    run(async () => {
      await api.revokeOtherSessions()
      sessions.value = (await api.sessions()).sessions
    })
  return { sessions, busy, error, load, signOut, signOutOthers }
})

/** "Chrome · Android" from a user agent: enough to tell one's phones apart. */
export function deviceName(ua: string): string {
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iPhone/iPad'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS/.test(ua)
          ? 'Mac'
          : /Linux/.test(ua)
            ? 'Linux'
            : '未知系统'
  const browser = /MicroMessenger/.test(ua)
    ? '微信'
    : /EdgA?\//.test(ua)
      ? 'Edge'
      : /HuaweiBrowser/.test(ua)
        ? '华为浏览器'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Firefox\//.test(ua)
            ? 'Firefox'
            : /Safari\//.test(ua)
              ? 'Safari'
              : '浏览器'
  return `${browser} · ${os}`
}
