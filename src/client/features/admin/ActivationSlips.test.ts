// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ActivationSlips from './ActivationSlips.vue'

describe('activation slips', () => {
  it('the three steps are numbered 1 2 3 in the text itself (the UI reset takes list markers away, also on paper)', () => {
    const line = {
      branch: '机关第一党支部',
      name: '何雪梅',
      phone: '13700000001',
      code: 'ABCD2345',
      link: 'https://example.org/activate?phone=13700000001&code=ABCD2345',
      until: '12月7日',
      sms: '',
    }
    const wrapper = mount(ActivationSlips, { props: { lines: [line], origin: 'https://example.org' } })
    const steps = wrapper.findAll('[data-testid="activation-slip"] ol > li')
    expect(steps.map((li) => li.find('.slip__no').text())).toEqual(['1.', '2.', '3.'])
    expect(steps.map((li) => li.text().slice(0, 2))).toEqual(['1.', '2.', '3.'])
    wrapper.unmount()
  })
})
