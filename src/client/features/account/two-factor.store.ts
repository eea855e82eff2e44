import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ResponseOf } from '../../../core/contracts/contract.ts'
import type * as security from '../../../core/contracts/security.ts'
import type { TwoFactorStatus } from '../../../core/contracts/security.ts'
import { createHttpClient } from '../../api/http.ts'
import { useRequest } from '../../composables/use-request.ts'
import { useSessionStore } from '../../session/session.store.ts'

// The calls live here, not in api/ (whose files go into the app shell's chunk, part of every first load).
const http = createHttpClient()
const api = {
  status: () => http.get<ResponseOf<typeof security.twoFactorStatus>>('/api/me/two-factor'),
  start: () => http.post<ResponseOf<typeof security.startTwoFactor>>('/api/me/two-factor/start'),
  confirm: (code: string) => http.post<ResponseOf<typeof security.confirmTwoFactor>>('/api/me/two-factor/confirm', { code }),
  regenerate: (code: string) =>
    http.post<ResponseOf<typeof security.regenerateRecoveryCodes>>('/api/me/two-factor/recovery-codes', { code }),
  disable: (code: string) => http.post<ResponseOf<typeof security.disableTwoFactor>>('/api/me/two-factor/disable', { code }),
}

/**
 * Two-factor login in 我的 (online only: the server keeps it). The secret of an enrolment is
 * held here only while the page shows it; recovery codes are shown once, until the page is left.
 */
export const useTwoFactorStore = defineStore('two-factor', () => {
  const status = ref<TwoFactorStatus | null>(null)
  const enrolment = ref<{ uri: string; secret: string } | null>(null)
  const recoveryCodes = ref<string[]>([])
  const { busy, error, run } = useRequest('需要联网才能设置两步验证')
  const load = () =>
    run(async () => {
      status.value = await api.status()
    })
  const start = () =>
    run(async () => {
      recoveryCodes.value = []
      enrolment.value = await api.start()
    })
  /** The first code confirms: the ten recovery codes come back this once, and the app opens (an administrator). */
  const confirm = (code: string) =>
    run(async () => {
      recoveryCodes.value = (await api.confirm(code)).recoveryCodes
      enrolment.value = null
      status.value = await api.status()
      await useSessionStore().refresh()
    })
  const regenerate = (code: string) =>
    run(async () => {
      recoveryCodes.value = (await api.regenerate(code)).recoveryCodes
      status.value = await api.status()
    })
  const disable = (code: string) =>
    run(async () => {
      await api.disable(code)
      status.value = await api.status()
    })
  /** Leaving the page forgets the secret and the codes shown. */
  const forget = () => {
    enrolment.value = null
    recoveryCodes.value = []
  }
  return { status, enrolment, recoveryCodes, busy, error, load, start, confirm, regenerate, disable, forget }
})
