import { describe, expect, it } from 'vitest'
import { operationChange } from './preview'
import type { ItemFields, Operation } from '../api/types'

const fields = (over: Partial<ItemFields>): ItemFields => ({
  seq: 1, code: '', name: '', subitem: '', category: '', department: '', basis: '', citations: [], level: '',
  content: '', duty: '', responsibility: '', responsibility_basis: '', accountable: '', accountability: '', note: '', ...over,
})

const op = (over: Partial<Operation>): Operation => ({
  id: 1, op: 'modify', item_id: 5, item: null, reason: '', basis: '', source: '', created_at: '',
  preview: { before: null, after: null, changed: [] }, ...over,
})

describe('operationChange', () => {
  it('redlines the changed fields of an adjustment on their plain text', () => {
    const before = fields({ name: '甲', content: '<p>处二倍罚款</p><p>责令改正</p>' })
    const after = fields({ name: '甲', content: '<p>处一倍罚款</p><p>责令改正</p>' })
    const c = operationChange(op({ item: after, preview: { before, after, changed: ['content'] } }))
    expect(c.kind).toBe('modified')
    expect(c.fields).toEqual([
      {
        field: 'content', before: '处二倍罚款\n责令改正', after: '处一倍罚款\n责令改正',
        segments: [{ op: 'equal', text: '处' }, { op: 'delete', text: '二' }, { op: 'insert', text: '一' }, { op: 'equal', text: '倍罚款\n责令改正' }],
      },
    ])
  })

  it('lists everything a removal takes away', () => {
    const before = fields({ name: '乙', code: '0247001000', category: '行政处罚' })
    const c = operationChange(op({ op: 'remove', preview: { before, after: null, changed: [] } }))
    expect(c.kind).toBe('removed')
    expect(c.fields.map((f) => f.field)).toEqual(['code', 'name', 'category'])
    expect(c.fields.every((f) => f.segments.every((s) => s.op === 'delete'))).toBe(true)
  })

  it('shows a recategorisation with its new category and code', () => {
    const before = fields({ name: '丙', code: '1047014000', category: '其他类' })
    const after = fields({ name: '丙', code: '0247014000', category: '行政处罚' })
    const c = operationChange(op({ op: 'recategorize', item: after, preview: { before, after, changed: ['seq', 'code', 'category'] } }))
    expect(c.kind).toBe('recategorized')
    expect(c.fields.map((f) => f.field)).toEqual(['code', 'category'])
  })
})
