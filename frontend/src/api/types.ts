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
  agency: string
  trigger?: Trigger | null // the law change the request was drafted for
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
  findings: Finding[] // the server's basis check of the operations
  finding_kinds: FindingKind[]
  trigger: Trigger | null // the law change it was drafted for
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
    trigger?: Trigger | null
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

// The instrument registry (法规库), the basis check and law changes (api/instruments.go).

export interface Trigger {
  change_id: number
  instrument_id: number
  instrument_title: string
  kind: string
  kind_name: string
  date: string
}

export interface InstrumentRef {
  id: number
  title: string
  level: string
  status: string
}

export interface Finding {
  item_id?: number
  item_name?: string
  operation_id?: number
  field: string
  kind: string
  citation: { level: string; title: string; edition: string }
  instrument: InstrumentRef | null
  message: string
}

export interface FindingKind {
  kind: string
  label: string
}

export interface BasisCheck {
  list_id: number
  version: number
  findings: Finding[]
  summary: Record<string, number>
  kinds: FindingKind[]
}

export interface InstrumentEdition {
  date: string
  kind: string
}

export interface Instrument {
  id: number
  title: string
  aliases: string[]
  level: string
  issuer: string
  doc_number: string
  published: string
  effective: string
  status: string
  replaced_by_id: number | null
  replaced_by: string
  source_url: string
  confidence: string
  note: string
  editions: InstrumentEdition[]
  texts?: InstrumentEdition[]
  citing_items?: number | null
}

export interface InstrumentPage {
  instruments: Instrument[]
  total: number
  levels: string[]
  statuses: string[]
  edition_kinds: string[]
}

export interface InstrumentChange {
  id: number
  instrument_id: number
  kind: string
  kind_name: string
  date: string
  replaced_by: number | null
  note: string
  region_code: string
  created_at: string
}

export interface ImpactList {
  list_id: number
  title: string
  agency: Agency
  region_code: string
  draft_id: number | null
  items: {
    item_id: number
    code: string
    name: string
    citations: { field: string; level: string; title: string; edition: string; edition_date: string }[]
  }[]
}

export interface Impact {
  change: { id: number; kind: string; kind_name: string; date: string; note: string; region_code: string; instrument: InstrumentRef }
  lists: ImpactList[]
  item_count: number
}
