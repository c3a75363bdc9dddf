// Shapes of the Qingdan HTTP API (api/*.go). Those in ./server are generated
// from the Go types (api/tstypes_test.go); here they only narrow the strings
// the UI switches on to the values the server sends.
import type * as server from './server'

export type { Agency, Region, Citation, ItemFields, Item, FieldChange, Layout, LayoutColumn, Segment } from './server'
import type { Agency, FieldChange, ItemFields, Item, Region } from './server'

export type ListKind = 'power' | 'duty'

export interface ListSummary extends Omit<server.ListSummary, 'kind'> {
  kind: ListKind
}

/** GET /lists/:id: the list with its own columns. */
export interface ListDetail extends Omit<server.ListDetail, 'kind'> {
  kind: ListKind
}

/** An operation's mark against the request's last return (issue 9 §3). */
export interface OperationMark extends Omit<server.OperationMark, 'mark'> {
  mark: 'new' | 'edited' | 'unchanged'
}

/** An operation's preview: the change the comparison will show once it is published. */
export interface OperationPreview extends Omit<server.OperationPreview, 'kind'> {
  kind: ChangeKind
}

export interface Operation extends Omit<server.Operation, 'op' | 'since_return' | 'preview'> {
  op: OpType
  preview: OperationPreview
  since_return?: OperationMark | null
}

/** The materials an operation type may need before submission (meta.op_types). */
export type MaterialField = 'supervision' | 'takeover_plan' 

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
  delegated: number
  merged: number
  split: number
}

export interface Version {
  number: number
  published_at: string
  change_request: ChangeRequestRef | null // the one request of a single publication
  change_requests: ChangeRequestRef[] // every request published in it (several for a 集中调整)
  batch_name: string // a 集中调整's name, e.g. 2026年第二批
  doc_number: string // 文号
  publish_date: string // 公布日期 YYYY-MM-DD
  counts: VersionCounts
  item_count: number
}

export type ChangeKind = 'added' | 'removed' | 'modified' | 'recategorized' | 'delegated' | 'merged' | 'split'

/** One change of a comparison, and of an operation's preview (the server computes both alike). */
export interface Change {
  item_id: number | null
  kind: ChangeKind
  kind_name?: string
  before: Partial<Item> | null
  after: Partial<Item> | null
  fields: FieldChange[]
  merged_from?: Partial<Item>[] // 合并: the items merged into after
  split_into?: Partial<Item>[] // 分设: the items before became
}

export interface Diff {
  from: number
  to: number
  changes: Change[]
}

export type Role = 'submitter' | 'legal_reviewer' | 'staffing_reviewer' | 'approver' | 'admin' | 'region_admin'

export interface User {
  id: number
  username: string
  display_name: string
  role: Role
  role_name?: string
  agency: Agency | null
  region: Region | null // where the user acts
  must_change_password?: boolean // a temporary password: only 修改密码 answers until it is changed
}

/** A region of the national catalogue (GET /regions). */
export interface RegionRow {
  code: string
  name: string
  level: 'province' | 'prefecture' | 'county'
  level_name: string
  parent_code: string | null
  full_name: string
}

export type AgencyKind = 'department' | 'justice' | 'government' | 'staffing'

/** An agency as the administration pages show it (GET /agencies). */
export interface AgencyRow {
  id: number
  name: string
  kind: AgencyKind
  kind_name: string
  region_code: string
  region_full_name: string
  active: boolean
  list_count: number
  user_count: number
}

/** A user as administrators see them (GET /users). */
export interface AdminUser extends User {
  disabled: boolean
  locked_until: string | null
  created_at: string
}

export type State =
  | 'draft'
  | 'legal_review'
  | 'approval'
  | 'approved'
  | 'published'
  | 'returned'
  | 'rejected'
  | 'cancelled'
  | 'countersign'
  | 'staffing_review'
  | 'joint_review'

export type OpType = 'add' | 'include' | 'modify' | 'recategorize' | 'remove' | 'delegate' | 'merge' | 'split'

export interface Person {
  id: number
  display_name: string
  role?: Role
  role_name?: string
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
  trigger_date?: string | null // YYYY-MM-DD the reason for the change arose
  clock?: Clock | null // the limit of the step it is in; null when finished
}

/** Where a request stands against the working-day limit of its step. */
export interface Clock {
  step: string
  step_name: string
  started: string // YYYY-MM-DD
  due: string | null // null when the step has no limit
  days_left: number | null // working days; negative when overdue
  overdue: boolean
  limit: number
}

/** GET /change-requests/:id: the request with everything its page shows. */
export interface ChangeRequestDetail extends ChangeRequest {
  list_version: number // the list's current version
  operations: Operation[]
  conflicts: ItemRef[] // touched items changed since the base version
  opinions: RequestEvent[]
  timeline: RequestEvent[]
  allowed_events: string[] // what the current user may fire now
  may_urge?: boolean // the current user may 督办 it
  findings: Finding[] // the server's basis check of the operations
  finding_kinds: FindingKind[]
  trigger: Trigger | null // the law change it was drafted for
  blocked_events?: Record<string, string> // allowed, yet bound to fail now, with why
  since_return?: {
    return: RequestEvent
    deleted: { number: number; op: OpType; op_name: string; item_id: number | null; name: string; reason: string }[]
  } | null
  deletable?: boolean // a never-submitted draft this user may delete
  editable: boolean // this user may edit its title, reason, operations and base now (the server's rule)
  process?: ProcessSetting // the process it runs under (while editable: would be submitted under)
  track?: 'heavy' | 'light' // heavy: goes to 审定
  countersigns?: Countersign[] // the 会签 its latest submission asked for
  signed?: Review[] // the reviews that signed off the joint review it is in
  missing_materials?: MissingMaterial[] // what operations lack before submission (the server decides)
}

export type Review = 'staffing' | 'legal'

/** A region's process (流程设置). */
export interface ProcessSetting {
  reviews: Review[]
  parallel: boolean
  approval_ops: OpType[]
  limits: Limits
}

/** GET /regions/:code/process: from is the region whose setting applies ('' the default). */
export interface RegionProcess {
  region: string
  from: string
  process: ProcessSetting
  defaults: ProcessSetting
}

/** One agency's 会签 on a request. */
export interface Countersign {
  id: number
  agency_id: number
  agency_name: string
  reason: string
  answer: '' | 'agree' | 'disagree'
  opinion: string
  answerer: string
  answered_at: string | null
}

/** One message of the message centre. */
export interface Notification {
  id: number
  kind: string
  kind_name: string
  change_request_id: number | null
  title: string
  body: string
  created_at: string
  read_at: string | null
}

export interface NotificationPage {
  notifications: Notification[]
  total: number
  unread: number
}

export interface CalendarDay {
  id: number // 0 for a day shipped with Qingdan
  date: string
  kind: 'holiday' | 'workday'
  kind_name: string
  region: string // '' nationwide
  name: string
  basis: string
}

export interface CalendarYear {
  year: number
  region: string
  workdays: number
  national_notice: boolean
  days: CalendarDay[]
}

export interface Limits {
  apply: number
  review: number
  approval?: number
  publish: number
}

/** GET /change-requests: one page of what the user may see. */
export interface ChangeRequestPage {
  change_requests: ChangeRequest[]
  total: number
  limit: number
  offset: number
}

/** GET /change-requests/counts */
export interface ChangeRequestCounts {
  counts: Partial<Record<State, number>>
  waiting: number // what waits for this user's action: the menu badge
  drafts: number
}

/** GET /change-requests/:id/include-candidates: an item of another list. */
export interface Candidate extends Item {
  list: ListSummary
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
  lineage?: { op: string; op_name: string; direction: 'from' | 'to'; item_id: number; name: string }[] // 合并, 分设 both ways
  change_request: {
    id: number
    title: string
    reason: string
    agency: string
    operation_reason: string
    operation_basis: string
    submitted_at: string | null
    approved_at: string | null
    trigger?: Trigger | null
  } | null
  opinions: RequestEvent[] // only for logged-in staff
  people: HistoryPerson[] // only for logged-in staff
}

export interface ItemHistory {
  item_id: number
  list_id: number
  removed_in: number | null
  revisions: HistoryEntry[]
}

// 全域检索 (GET /search): matches grouped by list, marked text as segments.
export interface SearchSegment {
  text: string
  hit?: boolean
}

export interface SearchFieldMatch {
  field: string
  label: string
  segments: SearchSegment[]
}

export interface SearchItem {
  id: number
  code: string
  name: string
  subitem: string
  category: string
  matches: SearchFieldMatch[]
}

export interface SearchGroup {
  list: { id: number; title: string; kind: string; version: number }
  agency: { id: number; name: string }
  region: { code: string; name: string }
  total: number
  items: SearchItem[]
}

export interface FacetCount {
  id?: number
  code?: string
  name: string
  count: number
}

export interface SearchResult {
  q: string
  total: number
  limit: number
  offset: number
  groups: SearchGroup[]
  facets: { regions: FacetCount[]; categories: FacetCount[]; agencies: FacetCount[] }
}

// 统计分析 (GET /stats/...): tables the server lays out, with how to chart them.
export interface StatsTable {
  name: string
  title: string
  columns: string[]
  rows: (string | number)[][]
  chart?: { kind: 'bar' | 'stacked' | 'line'; x: number; series: number[] }
}

export interface StatsRegion {
  code: string
  name: string
  level: string
  parent_code?: string
}

export interface StatsAnswer {
  region: StatsRegion
  path: StatsRegion[]
  children: StatsRegion[]
  tables: StatsTable[]
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
  item_count: number
  items: {
    item_id: number
    code: string
    name: string
    citations: { field: string; level: string; title: string; edition: string; edition_date: string }[]
  }[]
}

export interface Impact {
  change: { id: number; kind: string; kind_name: string; date: string; note: string; region_code: string; instrument: InstrumentRef }
  lists: ImpactList[] // a page (limit, offset) of list_count lists
  item_count: number // affected items of every list
  list_count: number
  pending_lists: number // lists without the change's draft
  limit: number
  offset: number
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

/** A file attached to a change request (api/attachments.go). */
export interface Attachment {
  id: number
  name: string
  kind: string
  kind_name: string
  content_type: string
  size: number
  sha256: string
  uploaded_by: number
  uploader: string
  created_at: string
  url: string
  may_delete: boolean // this user may delete it now (the server's rule)
}

/** GET /change-requests/:id/attachments: the files and what this user may do with them. */
export interface AttachmentsPage {
  attachments: Attachment[]
  may_add: boolean // this user works on the request in its current step and may add files (the server's rule)
  kind: string // the kind this user usually adds (批复, 审查意见书, 调整依据…): the form's first choice
  kinds: { value: string; label: string }[]
  types: { mime: string; label: string; extensions: string[] }[]
  max_bytes: number
  max_count: number
}

/** A material an operation lacks: it cannot be submitted until given. */
export interface MissingMaterial {
  operation_id: number
  number: number
  op: OpType
  field: MaterialField
  message: string
}
