// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent, h } from 'vue'

const server = vi.hoisted(() => ({ needsSetup: true }))
vi.mock('../../api/client.ts', () => ({ api: { setupStatus: () => Promise.resolve({ needsSetup: server.needsSetup }) } }))
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
