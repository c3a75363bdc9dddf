import { describe, expect, it } from 'vitest'
import { operationChange } from './preview'
import type { FieldChange, ItemFields, Operation } from '../api/types'

const fields = (over: Partial<ItemFields>): ItemFields => ({
  seq: 1, code: '', name: '', subitem: '', category: '', department: '', basis: '', citations: [], level: '',
  content: '', duty: '', responsibility: '', responsibility_basis: '', accountable: '', accountability: '', note: '', ...over,
})

const op = (over: Partial<Operation>): Operation => ({
  id: 1, number: 1, op: 'modify', op_name: '调整', item_id: 5, item: null, reason: '', basis: '', basis_citations: [], source: '', after_item_id: null, created_at: '',
  preview: { before: null, after: null, changed: [], fields: [] }, ...over,
})

describe('operationChange', () => {
  it("shows an adjustment with the server's segments as they are", () => {
    const before = fields({ name: '甲', content: '<p>处二倍罚款</p>' })
    const after = fields({ name: '甲', content: '<p>处一倍罚款</p>', note: '调整' })
    const redline: FieldChange[] = [
      {
        field: 'content', before: before.content, after: after.content,
        segments: [{ op: 'equal', text: '<p>处' }, { op: 'delete', text: '二' }, { op: 'insert', text: '一' }, { op: 'equal', text: '倍罚款</p>' }],
      },
      { field: 'note', before: '', after: '调整', segments: [{ op: 'insert', text: '调整' }] },
    ]
    const c = operationChange(op({ item: after, preview: { before, after, changed: ['content'], fields: redline } }))
    expect(c).toEqual({ item_id: 5, kind: 'modified', before, after, fields: redline })
  })

  it('shows a removal with nothing after it', () => {
    const before = fields({ name: '乙' })
    const redline: FieldChange[] = [{ field: 'name', before: '乙', after: '', segments: [{ op: 'delete', text: '乙' }] }]
    const c = operationChange(op({ op: 'remove', preview: { before, after: null, changed: [], fields: redline } }))
    expect(c.kind).toBe('removed')
    expect(c.after).toBeNull()
    expect(c.fields).toBe(redline)
  })

  it('names each operation type as a kind of change', () => {
    const kinds = (['add', 'include', 'modify', 'recategorize', 'remove'] as const).map((o) => operationChange(op({ op: o })).kind)
    expect(kinds).toEqual(['added', 'included', 'modified', 'recategorized', 'removed'])
  })
})
