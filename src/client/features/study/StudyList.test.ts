// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import StudyList from './StudyList.vue'

describe('学习记录 list, empty', () => {
  it('a search that finds nothing says so, instead of "本月还没有学习记录"', () => {
    const searched = mount(StudyList, { props: { records: [], pending: new Set<string>(), readOnly: false, searched: true } })
    expect(searched.find('[data-testid="study-empty"]').text()).toContain('没有找到符合条件的学习记录')
    expect(searched.text()).not.toContain('本月还没有学习记录')
    const month = mount(StudyList, { props: { records: [], pending: new Set<string>(), readOnly: false } })
    expect(month.text()).toContain('本月还没有学习记录')
  })
})
