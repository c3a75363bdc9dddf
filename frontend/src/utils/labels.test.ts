import { describe, expect, it } from 'vitest'
import { canonicalCategory, fieldLabel, layoutColumns, layoutFields, longFields, opLabels } from './labels'
import { meta } from '../meta'

// The labels come from the server's field table (meta.json is GET /api/v1/meta).
describe('labels from the server', () => {
  it('names fields as each layout heads its column', () => {
    expect(fieldLabel('name', meta.layouts.power)).toBe('职权名称')
    expect(fieldLabel('name', meta.layouts.duty)).toBe('事项名称')
    expect(fieldLabel('duty', meta.layouts.power)).toBe('部门职责') // not in the layout: the field's own name
    expect(fieldLabel('name', { kind: 'power', category_headings: false, columns: [{ header: '主项名称', field: 'name' }] })).toBe('主项名称')
    expect(fieldLabel('extra.承接单位')).toBe('承接单位')
  })
  it('shows only the fields a layout has', () => {
    expect(layoutFields(meta.layouts.duty!)).not.toContain('code') // a 权责清单 has no 基本编码 column
    expect(layoutFields(meta.layouts.power!).slice(0, 5)).toEqual(['seq', 'name', 'subitem', 'code', 'category'])
  })
  it("keeps an imported list's own columns, extras in their place", () => {
    const cols = layoutColumns({
      kind: 'duty', category_headings: false,
      columns: [{ header: '序号', field: 'seq' }, { header: '权力名称', field: 'name' }, { header: '承接单位' }, { header: '类别', field: 'category' }],
    })
    expect(cols.map((c) => c.header)).toEqual(['序号', '权力名称', '承接单位', '类别'])
  })
  it("groups categories by the server's alias table", () => {
    expect(canonicalCategory(' 其他类 ')).toBe('其他')
    expect(canonicalCategory('行政处罚')).toBe('行政处罚')
  })
  it('knows which fields hold paragraphs and what operations are called', () => {
    expect(longFields.has('basis')).toBe(true)
    expect(longFields.has('code')).toBe(false)
    expect(opLabels.recategorize).toBe('改为')
  })
})
