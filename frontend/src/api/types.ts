// Shapes of the Qingdan HTTP API (api/*.go, issues #3 and #4).

export interface Agency {
  id: number
  name: string
}

export interface Region {
  code: string
  name: string
}

export interface ListSummary {
  id: number
  title: string
  kind: 'power' | 'duty'
  agency: Agency
  region: Region
  version: number
  item_count: number
}

export interface Citation {
  level: string
  title: string
  edition: string
  articles: string
}

export interface ItemFields {
  seq: number
  code: string
  name: string
  subitem: string
  category: string
  department: string
  basis: string
  citations: Citation[]
  level: string
  content: string
  duty: string
  responsibility: string
  responsibility_basis: string
  accountable: string
  accountability: string
  note: string
  extra?: Record<string, string> // the list's extra columns, by header
}

export interface Item extends ItemFields {
  id: number
}

export interface ItemsPage {
  list_id: number
  version: number
  items: Item[]
}

export interface ChangeRequestRef {
  id: number
  title: string
  agency: string
}

export interface VersionCounts {
  added: number
  included: number
  modified: number
  recategorized: number
  removed: number
}

export interface Version {
  number: number
  published_at: string
  change_request: ChangeRequestRef | null
  counts: VersionCounts
  item_count: number
}

export type SegmentOp = 'equal' | 'insert' | 'delete'

export interface Segment {
  op: SegmentOp
  text: string
}

export interface FieldChange {
  field: string
  before: string
  after: string
  segments: Segment[]
}

export type ChangeKind = 'added' | 'removed' | 'modified' | 'recategorized' | 'included'

export interface Change {
  item_id: number | null
  kind: ChangeKind
  before: Partial<Item> | null
  after: Partial<Item> | null
  fields: FieldChange[]
}

export interface Diff {
  from: number
  to: number
  changes: Change[]
}

export type Role = 'submitter' | 'legal_reviewer' | 'approver' | 'admin'

export interface User {
  id: number
  username: string
  display_name: string
  role: Role
  role_name?: string
  agency: Agency | null
  region: Region | null // where the user acts
}

export type State =
  | 'draft'
  | 'legal_review'
  | 'approval'
  | 'approved'
  | 'published'
  | 'returned'
  | 'rejected'
  | 'withdrawn'

export type OpType = 'add' | 'include' | 'modify' | 'recategorize' | 'remove'

export interface Person {
  id: number
  display_name: string
  role?: Role
  role_name?: string
}

/**
 * The preview of an operation: the item before and after, which fields change
 * (序号 included, the note left out), and the redline of each field as the
 * version comparison shows it (序号 left out, the note publication writes shown).
 */
export interface OperationPreview {
  before: ItemFields | null
  after: ItemFields | null
  changed: string[]
  fields: FieldChange[]
}

export interface Operation {
  id: number
  op: OpType
  op_name?: string
  item_id: number | null
  item: ItemFields | null // the item after the operation; null for remove
  reason: string
  basis: string
  basis_citations?: Citation[]
  source: string
  preview: OperationPreview
  created_at: string
}

export interface RequestEvent {
  event: string
  event_name?: string
  from_state: string
  to_state: string
  actor: Person
  comment: string
  version?: number
  at: string
}

export interface ItemRef {
  item_id: number
  code: string
  name: string
}

export interface ChangeRequest {
  id: number
  list: { id: number; title: string; kind: 'power' | 'duty' }
  agency: Agency
  region_code: string
  title: string
  reason: string
  state: State
  state_name?: string
  base_version: number
  published_version: number | null
  version: number
  submitter: Person
  created_at: string
  updated_at: string
}

/** GET /change-requests/:id: the request with everything its page shows. */
export interface ChangeRequestDetail extends ChangeRequest {
  list_version: number // the list's current version
  operations: Operation[]
  conflicts: ItemRef[] // touched items changed since the base version
  opinions: RequestEvent[]
  timeline: RequestEvent[]
  allowed_events: string[] // what the current user may fire now
}

export interface HistoryPerson extends Person {
  acts: string[]
}

export interface HistoryEntry {
  version: number
  valid_to: number | null
  published_at: string
  op: string
  note: string
  prev_code: string
  item: Item | null // null for the removal
  change_request: {
    id: number
    title: string
    reason: string
    agency: string
    operation_reason: string
    operation_basis: string
  } | null
  opinions: RequestEvent[]
  people: HistoryPerson[]
}

export interface ItemHistory {
  item_id: number
  list_id: number
  removed_in: number | null
  revisions: HistoryEntry[]
}

// Importing a list file (POST /imports and after).
export interface SourceColumn {
  index: number
  header: string
  field: string // '' an extra column, '-' ignored
  score: number
}

export interface ImportAnomaly {
  sheet?: string
  line: number
  position?: number
  kind: string
  category?: string
  seq?: number
  item?: string
  message: string
}

export interface ImportPreview {
  id: number
  file_name: string
  agency: string
  region_code: string
  title: string
  kind: 'power' | 'duty'
  format: string
  encoding?: string
  columns: SourceColumn[]
  layout: { kind: string; columns: { header: string; field?: string }[]; category_headings: boolean }
  items: ItemFields[]
  lines: number[]
  sheets?: string[]
  report: { counts: { category: string; count: number }[]; anomalies: ImportAnomaly[] }
}
