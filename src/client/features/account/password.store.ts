import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ResponseOf } from '../../../core/contracts/contract.ts'
import type * as security from '../../../core/contracts/security.ts'
import { createHttpClient } from '../../api/http.ts'
import { useRequest } from '../../composables/use-request.ts'
import { useSessionStore } from '../../session/session.store.ts'

// The call lives here, not in api/ (whose files go into the app shell's chunk).
const http = createHttpClient()

/** 修改密码 (online only): on the current password; the server applies the password policy too. */
export const usePasswordStore = defineStore('password', () => {
  const { busy, error, run } = useRequest('需要联网才能修改密码')
  const changed = ref(false)
  const change = (current: string, password: string) =>
    run(async () => {
      changed.value = false
      await http.post<ResponseOf<typeof security.changePassword>>('/api/me/password', { current, password })
      changed.value = true
      await useSessionStore().refresh()
    })
  return { busy, error, changed, change }
})
