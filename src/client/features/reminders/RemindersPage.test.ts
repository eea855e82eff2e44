// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'

const server = vi.hoisted(() => ({ channels: null as { id: string; label: string }[] | null }))
vi.mock('../../api/client.ts', () => ({
  api: {
    reminderChannels: () => (server.channels ? Promise.resolve({ channels: server.channels }) : Promise.reject(new Error('offline'))),
  },
}))
const { default: RemindersPage } = await import('./RemindersPage.vue')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  h = signedInHarness({ role: 'member' })
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})
const rows = () => page?.findAll('.channel-list li').map((r) => r.text().replace(/\s+/g, ' ').trim()) ?? []
const saved = async () => (await h.db.reminder_settings.get(h.user.id))?.channels

describe('提醒送达方式 on the reminder settings page', () => {
  it('lists only the channels this organ offers, in order; turning one off and moving one up are saved on the phone', async () => {
    server.channels = [
      { id: 'push', label: '手机通知' },
      { id: 'wecom', label: '政务微信' },
      { id: 'sms', label: '短信' },
    ]
    page = await mountPage(h, RemindersPage, '/me/reminders')
    expect(rows()).toEqual(['1. 手机通知', '2. 政务微信 提前', '3. 短信 提前'])
    await page.find('[data-testid="channel-switch-wecom"]').trigger('click')
    await vi.waitFor(async () => expect(await saved()).toEqual(['push', 'sms']), { timeout: 5000 })
    await settle()
    expect(rows()).toEqual(['1. 手机通知', '2. 短信 提前', '政务微信（不使用）'])
    await page.find('[data-testid="channel-up-sms"]').trigger('click')
    await vi.waitFor(async () => expect(await saved()).toEqual(['sms', 'push']), { timeout: 5000 })
    await settle()
    expect(rows()[0]).toBe('1. 短信')
    // Queued for the server like any other setting.
    expect((await h.db.outbox.toArray()).map((m) => m.fields)).toContainEqual({ channels: ['sms', 'push'] })
  })

  it('shows nothing to choose when the organ offers push only', async () => {
    server.channels = [{ id: 'push', label: '手机通知' }]
    page = await mountPage(h, RemindersPage, '/me/reminders')
    expect(page.find('[data-testid="channels-card"]').exists()).toBe(false)
    expect(page.find('[data-testid="channels-offline"]').exists()).toBe(false)
  })

  it('says offline that the choice needs a connection', async () => {
    server.channels = null
    page = await mountPage(h, RemindersPage, '/me/reminders')
    expect(page.find('[data-testid="channels-offline"]').text()).toContain('联网后可在此查看本单位提供的提醒送达方式')
  })
})

describe('提醒设置 shows each reminder only to those it concerns', () => {
  it('a member is not told of the secretaries’ weekly 政治生日 list; a secretary is; the meeting reminder reads naturally', async () => {
    server.channels = [{ id: 'push', label: '手机通知' }]
    page = await mountPage(h, RemindersPage, '/me/reminders')
    expect(page.get('[data-testid="push-intro"]').text()).not.toContain('每周一')
    expect(page.find('[data-testid="pref-branchWeekAhead"]').exists()).toBe(false)
    expect(page.text()).toContain('会议前一天上午提醒：时间和地点')
    expect(page.text()).not.toContain('提醒应到人员时间和地点')
    page.unmount()
    await h.db.delete()

    h = signedInHarness({ role: 'secretary' })
    page = await mountPage(h, RemindersPage, '/me/reminders')
    expect(page.get('[data-testid="push-intro"]').text()).toContain('每周一收到未来七天过政治生日的党员名单')
    expect(page.find('[data-testid="pref-branchWeekAhead"]').exists()).toBe(true)
  })
})
