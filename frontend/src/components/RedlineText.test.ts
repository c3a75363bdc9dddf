import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import RedlineText from './RedlineText.vue'
import DiffView from './DiffView.vue'
import type { Change, Layout } from '../api/types'
import { meta } from '../meta'
import { global, item } from './testing'

describe('RedlineText', () => {
  it('strikes deletions and underlines insertions', () => {
    const w = mount(RedlineText, {
      global,
      props: {
        segments: [
          { op: 'equal', text: '处骗取金额' },
          { op: 'delete', text: '二' },
          { op: 'insert', text: '一' },
          { op: 'equal', text: '倍以上' },
        ],
      },
    })
    expect(w.text()).toBe('处骗取金额二一倍以上')
    expect(w.findAll('del').map((d) => d.text())).toEqual(['二'])
    expect(w.findAll('ins').map((d) => d.text())).toEqual(['一'])
  })

  it('shows a name with markup as the characters typed, creating no element', () => {
    const name = '<img src=x onerror=alert(1)>'
    const w = mount(RedlineText, {
      global, props: { segments: [{ op: 'insert', text: name }] } })
    expect(w.find('ins').text()).toBe(name)
    expect(w.find('img').exists()).toBe(false)
  })

  it('shows the lines of paragraph cells as the server sends them', () => {
    const w = mount(RedlineText, {
      global,
      props: { segments: [{ op: 'equal', text: '第一段\n第' }, { op: 'insert', text: '二' }, { op: 'equal', text: '段' }] },
    })
    expect(w.element.textContent).toBe('第一段\n第二段')
    expect(w.find('ins').text()).toBe('二')
  })

  it('says when a field became empty on both sides', () => {
    const w = mount(RedlineText, {
      global, props: { segments: [] } })
    expect(w.text()).toBe('（空）')
  })
})

describe('DiffView', () => {
  const change = (over: Partial<Change>): Change => ({
    item_id: 7,
    kind: 'modified',
    kind_name: '调整',
    before: item({ name: '对骗取医保基金的处罚', code: '0247001000', category: '行政处罚' }),
    after: item({ name: '对骗取医保基金的处罚', code: '0247001000', category: '行政处罚' }),
    fields: [
      {
        field: 'content',
        before: '处二倍罚款',
        after: '处一倍罚款',
        segments: [
          { op: 'equal', text: '处' },
          { op: 'delete', text: '二' },
          { op: 'insert', text: '一' },
          { op: 'equal', text: '倍罚款' },
        ],
      },
    ],
    merged_from: [],
    split_into: [],
    ...over,
  })

  it('labels each change and each field in the list layout', () => {
    const w = mount(DiffView, {
      global,
      props: { changes: [change({}), change({ item_id: 8, kind: 'removed', kind_name: '取消', after: null, fields: [] })], layout: meta.layouts.power!, itemLinks: false },
    })
    const heads = w.findAll('.change-head').map((h) => h.text())
    expect(heads[0]).toContain('调整')
    expect(heads[1]).toContain('取消')
    expect(w.find('[data-testid="field-content"] th').text()).toBe('行使内容')
    expect(w.find('[data-testid="field-content"] del').text()).toBe('二')
  })

  it("labels the fields by the list's own headers, in its column order, extras in their place", () => {
    // An imported list: 设定依据 before 承接单位 (an extra) before 实施主体.
    const layout: Layout = {
      kind: 'power',
      category_headings: true,
      columns: [
        { header: '编号', field: 'seq' }, { header: '权力名称', field: 'name' }, { header: '设定依据', field: 'basis' },
        { header: '承接单位' }, { header: '实施主体', field: 'department' },
      ],
    }
    const f = (field: string) => ({ field, before: 'a', after: 'b', segments: [{ op: 'delete' as const, text: 'a' }, { op: 'insert' as const, text: 'b' }] })
    // The server sends the fields in its own table's order, extras last.
    const w = mount(DiffView, {
      global,
      props: { changes: [change({ after: item({ name: '甲', seq: 3 }), fields: [f('department'), f('basis'), f('extra.承接单位')] })], layout, itemLinks: false },
    })
    expect(w.findAll('.diff-table th').map((t) => t.text())).toEqual(['设定依据', '承接单位', '实施主体'])
    expect(w.find('[data-testid="change-seq"]').text()).toBe('· 编号 3')
  })

  it('pages long comparisons', () => {
    const many = Array.from({ length: 25 }, (_, i) => change({ item_id: i + 1, after: item({ name: '事项' + (i + 1) }) }))
    const w = mount(DiffView, { global, props: { changes: many, layout: meta.layouts.duty!, pageSize: 10, itemLinks: false } })
    expect(w.findAll('.change')).toHaveLength(10)
    expect(w.find('.el-pagination').exists()).toBe(true)
  })

  it('says so when nothing changed', () => {
    const w = mount(DiffView, { global, props: { changes: [], layout: null } })
    expect(w.text()).toContain('两个版本之间没有变化')
  })
})
