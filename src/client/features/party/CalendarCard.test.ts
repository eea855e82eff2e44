// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'

vi.mock('../../api/client.ts', () => ({
  api: {
    calendarStatus: () => Promise.resolve({ active: false, createdAt: null }),
    newCalendarLink: () => Promise.resolve({ path: '/cal/abc.ics' }),
  },
}))
const { default: CalendarCard } = await import('./CalendarCard.vue')

describe('手机日历提醒: 复制链接', () => {
  it('says the link was copied, or how to copy it by hand', async () => {
    const writeText = vi.fn(() => Promise.resolve())
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } })
    const card = mount(CalendarCard, { global: { plugins: [createPinia()] } })
    await card.find('[data-testid="calendar-create"]').trigger('click')
    await flushPromises()
    await card.find('[data-testid="calendar-copy"]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/cal/abc.ics`)
    expect(card.find('[data-testid="calendar-copied"]').text()).toContain('已复制')

    writeText.mockImplementationOnce(() => Promise.reject(new Error('denied')))
    await card.find('[data-testid="calendar-copy"]').trigger('click')
    await flushPromises()
    expect(card.find('[data-testid="calendar-copied"]').text()).toContain('手动复制')
    card.unmount()
  })
})
