import { describe, expect, it } from 'vitest'
import { fieldLabel, layoutFields, longFields, opLabels } from './labels'

// The labels come from the server's field table (meta.json is GET /api/v1/meta).
describe('labels from the server', () => {
  it('names fields as each layout heads its column', () => {
    expect(fieldLabel('name', 'power')).toBe('职权名称')
    expect(fieldLabel('name', 'duty')).toBe('事项名称')
    expect(fieldLabel('duty', 'power')).toBe('部门职责') // not in the layout: the field's own name
    expect(fieldLabel('extra.承接单位')).toBe('承接单位')
  })
  it('shows only the fields a layout has', () => {
    expect(layoutFields('duty')).not.toContain('code') // a 权责清单 has no 基本编码 column
    expect(layoutFields('power').slice(0, 5)).toEqual(['seq', 'name', 'subitem', 'code', 'category'])
  })
  it('knows which fields hold paragraphs and what operations are called', () => {
    expect(longFields.has('basis')).toBe(true)
    expect(longFields.has('code')).toBe(false)
    expect(opLabels.recategorize).toBe('改为')
  })
})
