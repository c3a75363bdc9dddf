// An operation's preview (before, after, changed field names) as a Change the
// redline view shows. The server sends no segments for previews, so the
// redline is computed here, on the cells' plain text.
import type { Change, ChangeKind, FieldChange, ItemFields, Operation, OpType } from '../api/types'
import { longFields } from './labels'
import { plainText } from './paragraphs'
import { diffText } from './textdiff'

const kinds: Record<OpType, ChangeKind> = {
  add: 'added',
  include: 'included',
  modify: 'modified',
  recategorize: 'recategorized',
  remove: 'removed',
}

// The fields a change is made of, in list-column order (as the Go diff package).
const compared = ['code', 'name', 'subitem', 'category', 'department', 'basis', 'level', 'content', 'duty',
  'responsibility', 'responsibility_basis', 'accountable', 'accountability'] as const

function text(item: Partial<ItemFields> | null, field: string): string {
  const v = item?.[field as keyof ItemFields]
  if (typeof v !== 'string') return ''
  return longFields.has(field) ? plainText(v) : v
}

export function operationChange(op: Operation): Change {
  const before = op.preview?.before ?? null
  const after = op.preview?.after ?? (op.op === 'remove' ? null : op.item)
  const changed = new Set(op.preview?.changed ?? [])
  const fields: FieldChange[] = []
  for (const f of compared) {
    const b = text(before, f)
    const a = text(after, f)
    // A removal lists everything it takes away; otherwise what the server says changed.
    const show = op.op === 'remove' ? b !== '' : changed.size ? changed.has(f) : a !== b
    if (show && a !== b) fields.push({ field: f, before: b, after: a, segments: diffText(b, a) })
  }
  return { item_id: op.item_id, kind: kinds[op.op], before, after, fields }
}
