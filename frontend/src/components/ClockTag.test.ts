import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ClockTag from './ClockTag.vue'
import type { Clock } from '../api/types'
import { global } from './testing'

const clock = (c: Partial<Clock>): Clock => ({
  step: 'review', step_name: '审查', started: '2026-09-24', due: '2026-10-22', days_left: 5, overdue: false, limit: 15, ...c,
})

describe('ClockTag', () => {
  it('says how many working days are left and when the step is due', () => {
    const w = mount(ClockTag, { global, props: { clock: clock({}) } })
    expect(w.text()).toContain('审查 · 剩 5 个工作日')
    expect(w.text()).toContain('2026-10-22 到期')
    expect(w.find('.el-tag--success').exists()).toBe(true)
  })

  it('warns within three working days and flags an overdue step in red', () => {
    expect(mount(ClockTag, { global, props: { clock: clock({ days_left: 2 }) } }).find('.el-tag--warning').exists()).toBe(true)
    expect(mount(ClockTag, { global, props: { clock: clock({ days_left: 0 }) } }).text()).toContain('今日到期')
    const late = mount(ClockTag, { global, props: { clock: clock({ days_left: -3, overdue: true }) } })
    expect(late.text()).toContain('已超期 3 个工作日')
    expect(late.find('[data-overdue="true"] .el-tag--danger').exists()).toBe(true)
  })

  it('names a step without a limit, and shows a dash for a finished request', () => {
    expect(mount(ClockTag, { global, props: { clock: clock({ step_name: '审定', due: null, days_left: null, limit: 0 }) } }).text()).toBe('审定 · 无时限')
    expect(mount(ClockTag, { global, props: { clock: null } }).text()).toBe('—')
  })
})
