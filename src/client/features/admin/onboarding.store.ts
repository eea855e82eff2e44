import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { adminApi } from '../../api/admin-client.ts'
import type { Onboarding } from '../../../core/schemas/people.ts'

export interface GuideStep {
  title: string
  hint: string
  to: string
  done: boolean
}

/**
 * A new administrator's first steps: 新增党支部 → 导入花名册 → 发放激活码, each done or not (asked
 * of the server when online; nothing is shown offline).
 */
export const useOnboardingStore = defineStore('onboarding', () => {
  const state = shallowRef<Onboarding | null>(null)
  async function load(): Promise<void> {
    try {
      state.value = await adminApi.onboarding()
    } catch {
      // offline or not allowed: no guide rather than a wrong one
    }
  }
  const steps = computed<GuideStep[]>(() => {
    const s = state.value
    if (!s) return []
    return [
      {
        title: '新增党支部',
        hint: s.branches ? `已建立 ${s.branches} 个党支部` : '在“组织与人员”中添加本机关的党支部（也可在导入花名册时一并新建）',
        to: '/admin',
        done: s.branches > 0,
      },
      {
        title: '导入花名册',
        hint: s.people ? `已有 ${s.people} 名人员` : '上传现有的 Excel 花名册，先检查后一次导入',
        to: '/admin/import',
        done: s.people > 0,
      },
      {
        title: '发放激活码',
        hint: !s.people
          ? '导入后为每人生成激活码，打印裁剪条或下载名单'
          : s.withoutCode
            ? `${s.withoutCode} 人还没有有效的激活码`
            : s.notActivated
              ? `已发放；还有 ${s.notActivated} 人尚未激活`
              : '全部人员已激活',
        to: '/admin',
        done: s.people > 0 && s.withoutCode === 0,
      },
    ]
  })
  const finished = computed(() => steps.value.length > 0 && steps.value.every((s) => s.done))
  return { state, steps, finished, load }
})
