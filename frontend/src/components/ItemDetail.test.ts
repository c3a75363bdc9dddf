import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ItemDetail from './ItemDetail.vue'
import type { Layout } from '../api/types'
import { global, item } from './testing'


const labels = (w: ReturnType<typeof mount>) => w.findAll('.el-descriptions__label').map((l) => l.text())

describe('ItemDetail', () => {
  it("shows an item in its list's own columns, extras in their place", () => {
    const layout: Layout = {
      kind: 'power',
      category_headings: true,
      columns: [{ header: '序号', field: 'seq' }, { header: '权力名称', field: 'name' }, { header: '承接单位' }, { header: '职权依据', field: 'basis' }],
    }
    const w = mount(ItemDetail, {
      global,
      props: { kind: 'power', layout, item: item({ name: '对无证行医的处罚', category: '行政处罚', extra: { 承接单位: '乡镇卫生院\n村卫生室' } }) },
    })
    // The category a list keeps in headings comes after the name.
    expect(labels(w)).toEqual(['序号', '权力名称', '权力类型', '承接单位', '职权依据'])
    expect(w.find('[data-testid="item-extra-承接单位"]').findAll('p').map((p) => p.text())).toEqual(['乡镇卫生院', '村卫生室'])
  })

  it('falls back to the seed layout of its kind, and keeps extras beyond it in view', () => {
    const w = mount(ItemDetail, { global, props: { kind: 'duty', item: item({ name: '甲', extra: { 责任人员: '科长' } }) } })
    expect(labels(w)[1]).toBe('事项名称')
    expect(labels(w)).not.toContain('基本编码')
    expect(labels(w).at(-1)).toBe('责任人员')
  })
})
