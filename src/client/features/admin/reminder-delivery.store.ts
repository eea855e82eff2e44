import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { adminApi as api } from '../../api/admin-client.ts'
import { useRequest } from '../../composables/use-request.ts'
import type { ReminderFailure } from '../../../core/contracts/reminders.ts'

/**
 * Reminders outside the app, as an administrator sees them: a person's 企业微信 / 政务微信
 * account, and the reminders that could not be sent (who, by which channel, why). Online only.
 */
export const useReminderDeliveryStore = defineStore('reminder-delivery', () => {
  const { busy, error, run } = useRequest('需要联网才能查看或修改')
  const wecom = ref<{ personId: string; configured: boolean; label: string; wecomUserId: string | null } | null>(null)
  const message = ref<string | null>(null)
  const failures = shallowRef<ReminderFailure[]>([])
  const total = ref(0)

  const loadWecom = (personId: string) =>
    run(async () => {
      message.value = null
      wecom.value = { personId, ...(await api.personWecom(personId)) }
    })

  const saveWecom = (personId: string, body: { wecomUserId: string | null } | { lookup: true }) =>
    run(async () => {
      const r = await api.setPersonWecom(personId, body)
      wecom.value = { personId, configured: r.configured, label: r.label, wecomUserId: r.wecomUserId }
      message.value =
        'lookup' in body
          ? r.found
            ? `已按手机号找到${r.label}账号：${r.wecomUserId ?? ''}`
            : `${r.label}通讯录中没有此手机号，请核对或手工填写账号`
          : r.wecomUserId
            ? '已保存'
            : '已清除'
    })

  const loadFailures = () =>
    run(async () => {
      const r = await api.reminderFailures()
      failures.value = r.failures
      total.value = r.total
    })

  return { busy, error, wecom, message, failures, total, loadWecom, saveWecom, loadFailures }
})
