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
  agency?: string | Agency
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
  item_count?: number
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
  operation_id?: number
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
  agency?: Agency | null
  region?: Region | null
  region_code?: string | null
  agency_id?: number | null
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

export interface Operation {
  id: number
  op: OpType
  item_id: number | null
  source?: string
  item: Partial<ItemFields> | null
  before?: Partial<Item> | null
  reason: string
  basis: string
  created_at?: string
}

export interface Person {
  id?: number
  username?: string
  display_name?: string
  name?: string
}

export interface RequestEvent {
  id?: number
  event: string
  from_state?: string
  to_state?: string
  from?: string
  to?: string
  actor?: Person | string | null
  comment?: string
  created_at: string
}

export interface ChangeRequest {
  id: number
  list_id: number
  list?: Partial<ListSummary> & { id: number; title: string }
  agency?: Agency
  base_version: number
  title: string
  reason: string
  state: State
  version?: number
  submitter?: Person | null
  published_version?: number | null
  created_at?: string
  updated_at?: string
  operations?: Operation[]
  preview?: Diff | { changes: Change[] } | null
  opinions?: RequestEvent[]
  timeline?: RequestEvent[]
  events?: RequestEvent[]
  available_events?: string[]
}

export interface HistoryEntry {
  version: number
  valid_from?: number
  valid_to?: number | null
  operation?: string
  op?: string
  note?: string
  published_at?: string
  item?: Partial<Item>
  change_request?: (ChangeRequestRef & { reason?: string; submitter?: Person | null }) | null
  opinions?: RequestEvent[]
  people?: Person[]
  events?: RequestEvent[]
}
