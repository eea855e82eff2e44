// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mount } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'
import { newId } from '../../../core/ids.ts'
import type { Person } from '../../../core/schemas/people.ts'

const server = vi.hoisted(() => ({ posted: [] as unknown[] }))
vi.mock('../../api/admin-client.ts', () => ({
  adminApi: {
    reminderFailures: () =>
      Promise.resolve({
        total: 2,
        failures: [
          {
            userId: 'u1',
            name: '张三',
            kind: 'birthday',
            channel: 'wecom',
            channelLabel: '政务微信',
            reason: '成员不在企业微信通讯录中或不在应用可见范围内',
            attempts: 1,
            lastAt: '2026-11-30T01:05:00.000Z',
            deliveredBy: '短信',
            unconfirmed: false,
          },
          {
            userId: 'u2',
            name: '李四',
            kind: 'meetingTomorrow',
            channel: 'sms',
            channelLabel: '短信',
            reason: '短信模板不存在或未通过审核',
            attempts: 3,
            lastAt: '2026-11-30T01:15:00.000Z',
            deliveredBy: null,
            unconfirmed: false,
          },
        ],
      }),
    personWecom: () => Promise.resolve({ configured: true, label: '政务微信', wecomUserId: null }),
    setPersonWecom: (_id: string, body: unknown) => {
      server.posted.push(body)
      return Promise.resolve({ configured: true, label: '政务微信', wecomUserId: 'zhangsan', found: true })
    },
  },
}))
const { default: ReminderFailuresCard } = await import('./ReminderFailuresCard.vue')
const { default: PersonWecomCard } = await import('./PersonWecomCard.vue')

let h: PageHarness
let page: VueWrapper | null = null
beforeEach(() => {
  h = signedInHarness({ role: 'admin', branchId: null })
})
afterEach(async () => {
  page?.unmount()
  page = null
  await h.db.delete()
})

describe('提醒发送 for the administrator', () => {
  it('lists the failures with member, channel and reason in Chinese, whether a later channel delivered, and the count', async () => {
    page = await mountPage(h, ReminderFailuresCard)
    expect(page.find('h2').text()).toContain('近30天 2 条未能送达')
    expect(page.findAll('[data-testid="failure-row"]').map((r) => r.text().replace(/\s+/g, ' '))).toEqual([
      '张三 · 我的政治生日 · 政务微信未送达：成员不在企业微信通讯录中或不在应用可见范围内 2026年11月30日 09:05 · 已改由短信送达',
      '李四 · 明天的会议 · 短信未送达：短信模板不存在或未通过审核 2026年11月30日 09:15 · 已尝试 3 次 · 尚未送达',
    ])
  })

  it("sets a person's 政务微信 account, or looks it up by mobile", async () => {
    const person: Person = {
      id: newId(),
      name: '张三',
      phone: '13800000001',
      branchId: null,
      groupId: null,
      role: 'member',
      status: 'full',
      joinedPartyOn: null,
      fullMemberOn: null,
      note: '',
      leadership: false,
      committee: false,
      activated: true,
    }
    page = mount(PersonWecomCard, { props: { person }, global: { plugins: [h.pinia, h.router] } })
    await settle()
    expect(page.find('h2').text()).toBe('政务微信账号')
    await page.find('[data-testid="wecom-lookup"]').trigger('click')
    await settle()
    expect(server.posted).toEqual([{ lookup: true }])
    expect(page.find('[data-testid="wecom-message"]').text()).toBe('已按手机号找到政务微信账号：zhangsan')
    expect((page.find('[data-testid="wecom-account"] input').element as HTMLInputElement).value).toBe('zhangsan')
  })
})
