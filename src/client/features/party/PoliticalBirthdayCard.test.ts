// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { reactive } from 'vue'

const party = vi.hoisted(() => ({ state: null as null | { birthdayToday: number; renewedToday: boolean } }))
vi.mock('./party.store.ts', () => ({ usePartyStore: () => party.state }))
const { default: PoliticalBirthdayCard } = await import('./PoliticalBirthdayCard.vue')

describe('政治生日 card on 首页', () => {
  it('shows the oath to re-take, then folds it away once re-taken (so 下一次会议 stays in view at 特大)', async () => {
    party.state = reactive({
      birthdayToday: 12,
      renewedToday: false,
      renewOath: () => undefined,
      shareCard: () => Promise.resolve('shared'),
    })
    const card = mount(PoliticalBirthdayCard)
    const open = card.find('blockquote.oath')
    expect(open.text()).toContain('永不叛党')
    expect(open.element.closest('details')).toBeNull()

    party.state.renewedToday = true
    await card.vm.$nextTick()
    expect(card.find('[data-testid="oath-renewed"]').exists()).toBe(true)
    const folded = card.find('[data-testid="oath-folded"]')
    expect(folded.element.tagName).toBe('DETAILS')
    expect(folded.attributes('open')).toBeUndefined()
    expect(folded.find('blockquote.oath').exists()).toBe(true)
    expect(card.findAll('blockquote.oath')).toHaveLength(1)
  })
})
