// An operation's preview as a Change the redline view shows. The server
// sends the fields with their segments, from the same diff as the version
// comparison; the UI computes none. They leave out 序号 and show the note
// publication will write; preview.changed (which has 序号) is not needed here.
import type { Change, ChangeKind, Operation, OpType } from '../api/types'

const kinds: Record<OpType, ChangeKind> = {
  add: 'added',
  include: 'included',
  modify: 'modified',
  recategorize: 'recategorized',
  remove: 'removed',
}

export function operationChange(op: Operation): Change {
  const before = op.preview?.before ?? null
  const after = op.preview?.after ?? (op.op === 'remove' ? null : op.item)
  return { item_id: op.item_id, kind: kinds[op.op], before, after, fields: op.preview?.fields ?? [] }
}
