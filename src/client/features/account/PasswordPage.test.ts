// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent, h } from 'vue'

const sent = vi.hoisted(() => [] as unknown[])
vi.mock('../../api/http.ts', async (original) => ({
  ...(await original<typeof import('../../api/http.ts')>()),
  createHttpClient: () => ({
    post: (path: string, body: unknown) => {
      sent.push([path, body])
      return Promise.resolve({ ok: true })
    },
  }),
}))
vi.mock('../../api/client.ts', () => ({ api: { me: () => Promise.reject(new Error('offline')) } }))
const { default: PasswordPage } = await import('./PasswordPage.vue')
const { useSessionStore } = await import('../../session/session.store.ts')

describe('修改密码 after a login with a weak password', () => {
  it('says why, checks the policy before sending, and goes on to where the login was headed', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSessionStore().user = {
      id: 'u',
      orgId: 'o',
      orgName: '机关党委',
      branchId: null,
      branchName: null,
      name: '刘芳',
      phone: '13900000101',
      role: 'member',
      mustChangePassword: true,
    }
    const blank = defineComponent({ render: () => h('div') })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: blank }] })
    await router.push('/me/password?next=/study')
    const page = mount(PasswordPage, { global: { plugins: [pinia, router] } })
    expect(page.find('[data-testid="weak-password"]').exists()).toBe(true)
    const fields = page.findAll('input')
    await fields[0]?.setValue('abcdefghij')
    await fields[1]?.setValue('13900000101x')
    await fields[2]?.setValue('13900000101x')
    await page.find('form').trigger('submit')
    await flushPromises()
    expect(page.text()).toContain('密码不能包含手机号')
    expect(sent).toEqual([])
    await fields[1]?.setValue('hongqi-2026')
    await fields[2]?.setValue('hongqi-2026')
    await page.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(router.currentRoute.value.fullPath).toBe('/study')
    })
    expect(sent).toEqual([['/api/me/password', { current: 'abcdefghij', password: 'hongqi-2026' }]])
    page.unmount()
  })
})
