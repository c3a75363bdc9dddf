import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import MarkedText from './MarkedText.vue'

describe('MarkedText', () => {
  it('marks the segments the server found and keeps the rest as text', () => {
    const w = mount(MarkedText, {
      props: { segments: [{ text: '对骗取' }, { text: '医疗保障', hit: true }, { text: '基金的处罚' }] },
    })
    expect(w.text()).toBe('对骗取医疗保障基金的处罚')
    expect(w.findAll('mark').map((m) => m.text())).toEqual(['医疗保障'])
  })

  it('shows markup in an item as the characters typed, creating no element', () => {
    const name = '<img src=x onerror=alert(1)>'
    const w = mount(MarkedText, { props: { segments: [{ text: name, hit: true }] } })
    expect(w.find('mark').text()).toBe(name)
    expect(w.find('img').exists()).toBe(false)
  })
})
