// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent, h } from 'vue'

const server = vi.hoisted(() => ({ needsSetup: true }))
vi.mock('../../api/client.ts', () => ({
  api: {
    setupStatus: () => Promise.resolve({ needsSetup: server.needsSetup }),
    login: () => Promise.resolve({ twoFactor: { ticket: 'the-ticket' } }),
  },
}))
const verified = vi.hoisted(() => [] as [string, string][])
vi.mock('./login-verify.ts', () => ({
  verifyLogin: (ticket: string, code: string) => {
    verified.push([ticket, code])
    return Promise.resolve()
  },
}))
const { default: LoginPage } = await import('./LoginPage.vue')

async function open() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const blank = defineComponent({ render: () => h('div') })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: blank },
      { path: '/setup', component: blank },
      { path: '/', component: blank },
    ],
  })
  await router.push('/login')
  const page = mount(LoginPage, { global: { plugins: [pinia, router] } })
  await vi.waitFor(async () => {
    await flushPromises()
    expect(page.text()).toContain('党建随行')
  })
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
  return { router, page }
}

describe('first start', () => {
  it('an uninitialised system goes on to 首次设置 instead of staying on 登录', async () => {
    const { router, page } = await open()
    expect(router.currentRoute.value.path).toBe('/setup')
    page.unmount()
  })
  it('a set-up system stays on 登录', async () => {
    server.needsSetup = false
    const { router, page } = await open()
    expect(router.currentRoute.value.path).toBe('/login')
    page.unmount()
  })
})

describe('two-factor login', () => {
  it('asks for the code after a right password, and signs in with the ticket and the code', async () => {
    server.needsSetup = false
    const { router, page } = await open()
    await page.find('#login-phone').setValue('13800000005')
    await page.find('#login-password').setValue('test-password-1')
    await page.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(page.find('[data-testid="two-factor-step"]').exists()).toBe(true)
    })
    expect(page.find('#login-password').exists()).toBe(false)
    await page.find('[data-testid="login-code"]').setValue('123456')
    await page.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(router.currentRoute.value.path).toBe('/')
    })
    expect(verified).toEqual([['the-ticket', '123456']])
    page.unmount()
  })
})
