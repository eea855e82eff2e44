// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent, h } from 'vue'

/** The server's side of enrolment, as the page's store calls it. */
const server = vi.hoisted(() => ({ enabled: false, calls: [] as string[] }))
vi.mock('../../api/http.ts', async (original) => ({
  ...(await original<typeof import('../../api/http.ts')>()),
  createHttpClient: () => ({
    get: (path: string) => {
      server.calls.push(`GET ${path}`)
      return Promise.resolve({ enabled: server.enabled, required: true, recoveryCodesLeft: server.enabled ? 10 : 0 })
    },
    post: (path: string, body?: { code: string }) => {
      server.calls.push(`POST ${path}${body ? ` ${body.code}` : ''}`)
      if (path.endsWith('/start'))
        return Promise.resolve({ uri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXPJBSWY3DP', secret: 'JBSWY3DPEHPK3PXPJBSWY3DP' })
      server.enabled = true
      return Promise.resolve({ recoveryCodes: Array.from({ length: 10 }, (_, i) => `abcde-fgh${String(i).padStart(2, '0')}`) })
    },
  }),
}))
vi.mock('../../api/client.ts', () => ({ api: { me: () => Promise.reject(new Error('offline')) } }))
const { default: TwoFactorPage } = await import('./TwoFactorPage.vue')
const { useSessionStore } = await import('../../session/session.store.ts')

describe('两步验证 (enrolment in 我的)', () => {
  it('draws the QR code of the server’s link, shows the key to type, confirms with a code and shows the ten recovery codes once', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSessionStore().user = {
      id: 'u',
      orgId: 'o',
      orgName: '机关党委',
      branchId: null,
      branchName: null,
      name: '管理员',
      phone: '13800000005',
      role: 'admin',
      mustEnrolTwoFactor: true,
    }
    const blank = defineComponent({ render: () => h('div') })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: blank }] })
    await router.push('/me/two-factor')
    const page = mount(TwoFactorPage, { global: { plugins: [pinia, router] } })
    await flushPromises()
    expect(page.find('[data-testid="must-enrol"]').exists()).toBe(true)
    expect(page.find('[aria-label="返回"]').exists()).toBe(false)
    await page.find('[data-testid="start-2fa"]').trigger('click')
    await flushPromises()
    const qr = page.find('img.qr')
    expect(qr.attributes('src')).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(atob(qr.attributes('src')?.split(',')[1] ?? '')).toContain('<svg')
    expect(page.find('[data-testid="secret"]').text()).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP')
    await page.find('[data-testid="code"] input').setValue('123456')
    await page.find('[data-testid="confirm-2fa"]').trigger('click')
    await flushPromises()
    expect(server.calls.filter((c) => c.startsWith('POST'))).toEqual([
      'POST /api/me/two-factor/start',
      'POST /api/me/two-factor/confirm 123456',
    ])
    expect(page.findAll('[data-testid="recovery-codes"] li')).toHaveLength(10)
    expect(page.text()).toContain('已启用')
    page.unmount()
  })
})
