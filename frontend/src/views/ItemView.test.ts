import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ItemView from './ItemView.vue'
import type { Item, ItemHistory, ListDetail } from '../api/types'
import { global } from '../components/testing'

// The item page of a list imported in its own layout (济源's: categories
// from sheet names, 是否涉企 between 责任科室 and 实施依据, 责任人员 last).
const item: Item = {
  id: 9, seq: 1, code: '', name: '对骗保行为的处罚', subitem: '', category: '行政处罚', department: '基金监管科',
  basis: '【行政法规】《医疗保障基金使用监督管理条例》第三十八条', citations: [], level: '', content: '', duty: '',
  responsibility: '', responsibility_basis: '', accountable: '', accountability: '', note: '', extra: { 是否涉企: '是', 责任人员: '张三' },
}
const list: ListDetail = {
  id: 4, title: '济源市医疗保障局行政权力清单', kind: 'power', agency: { id: 3, name: '济源市医疗保障局' }, region: { code: '419001', name: '济源市' },
  version: 2, item_count: 3,
  layout: {
    kind: 'power', category_headings: true,
    columns: [
      { header: '序号', field: 'seq' }, { header: '事项名称', field: 'name' }, { header: '责任科室', field: 'department' },
      { header: '是否涉企' }, { header: '实施依据', field: 'basis' }, { header: '责任人员' },
    ],
  },
}
const history: ItemHistory = {
  item_id: 9, list_id: 4, removed_in: null,
  revisions: [
    { version: 1, valid_to: 2, published_at: '2026-03-01T02:00:00Z', op: 'import', note: '', prev_code: '', item, change_request: null, opinions: [], people: [], lineage: [] },
    { version: 2, valid_to: null, published_at: '2026-04-01T02:00:00Z', op: 'recategorize', note: '由其他类别改入', prev_code: '0647001000', item, change_request: null, opinions: [], people: [], lineage: [] },
  ],
}

function serve() {
  const answers: Record<string, unknown> = { '/api/v1/items/9': item, '/api/v1/items/9/history': history, '/api/v1/lists/4': list }
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    const body = answers[url.split('?')[0]]
    return new Response(JSON.stringify(body ?? { error: { code: 'not_found', message: '未找到' } }), { status: body ? 200 : 404, headers: { 'Content-Type': 'application/json' } })
  }))
}

afterEach(() => vi.unstubAllGlobals())

describe('ItemView', () => {
  it("shows the item in its list's own columns and words, extras in their place, nothing the layout lacks", async () => {
    serve()
    const w = mount(ItemView, { global, props: { id: '9' } })
    await flushPromises()
    const labels = w.findAll('[data-testid="item-detail"] .el-descriptions__label').map((l) => l.text())
    // The category the list keeps in sheet names comes after the name.
    expect(labels).toEqual(['序号', '事项名称', '权力类型', '责任科室', '是否涉企', '实施依据', '责任人员'])
    expect(w.get('[data-testid="item-extra-是否涉企"]').text()).toBe('是')
    expect(w.get('[data-testid="item-detail"]').text()).toContain('基金监管科')
  })

  it("names the timeline's fields by the list's headers", async () => {
    serve()
    list.layout!.columns.push({ header: '权力编码', field: 'code' }, { header: '说明', field: 'note' })
    const w = mount(ItemView, { global, props: { id: '9' } })
    await flushPromises()
    expect(w.get('[data-testid="history-note"]').text()).toBe('说明：由其他类别改入')
    expect(w.get('[data-testid="history-prev-code"]').text()).toBe('原权力编码：0647001000')
    list.layout!.columns.splice(-2)
  })
})
