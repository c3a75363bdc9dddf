// Generated from the Go types of the API answers (api/tstypes_test.go):
// do not edit; go test ./api -run TestTSTypes -update-types rewrites it.

/** Go: workflow.States */
export const State = ['draft', 'countersign', 'staffing_review', 'legal_review', 'joint_review', 'approval', 'approved', 'published', 'returned', 'rejected', 'cancelled'] as const
export type State = (typeof State)[number]

/** Go: models.Ops */
export const OpType = ['add', 'include', 'modify', 'recategorize', 'delegate', 'merge', 'split', 'remove'] as const
export type OpType = (typeof OpType)[number]

/** Go: models.KindLabels */
export const ListKind = ['duty', 'power'] as const
export type ListKind = (typeof ListKind)[number]

/** Go: models.RoleLabels */
export const Role = ['admin', 'approver', 'legal_reviewer', 'region_admin', 'staffing_reviewer', 'submitter'] as const
export type Role = (typeof Role)[number]

/** Go: models.AgencyKindLabels */
export const AgencyKind = ['department', 'government', 'justice', 'staffing'] as const
export type AgencyKind = (typeof AgencyKind)[number]

/** Go: models.ItemChangeLabels */
export const ChangeKind = ['added', 'delegated', 'merged', 'modified', 'recategorized', 'removed', 'split'] as const
export type ChangeKind = (typeof ChangeKind)[number]

/** Go: workflow reviews */
export const Review = ['legal', 'staffing'] as const
export type Review = (typeof Review)[number]

/** Go: workflow tracks */
export const Track = ['heavy', 'light'] as const
export type Track = (typeof Track)[number]

/** Go: workflow marks */
export const Mark = ['edited', 'new', 'unchanged'] as const
export type Mark = (typeof Mark)[number]

/** Go: workflow materials */
export const MaterialField = ['supervision', 'takeover_plan'] as const
export type MaterialField = (typeof MaterialField)[number]

/** Go: models.RegionLevels */
export const RegionLevel = ['county', 'prefecture', 'province'] as const
export type RegionLevel = (typeof RegionLevel)[number]

/** Go: stats.ChartKinds */
export const ChartKind = ['bar', 'stacked', 'line'] as const
export type ChartKind = (typeof ChartKind)[number]

/** Go: calendarKindNames */
export const CalendarDayKind = ['holiday', 'workday'] as const
export type CalendarDayKind = (typeof CalendarDayKind)[number]

/** Go: api.metaJSON */
export interface Meta {
  fields: FieldDef[]
  max_extra_runes: number
  layouts: Record<string, Layout | null>
  categories: string[]
  code_rule: CodeRule
  list_kinds: Record<string, string>
  agency_kinds: Record<string, string>
  citation_fields: Record<string, string>
  roles: Record<string, string>
  operations: Record<string, string>
  states: Record<string, string>
  events: Record<string, string>
  reviews: Record<string, string>
  tracks: Record<string, string>
  marks: Record<string, string>
  operation_fields: Record<string, string>
  actions: ({
    event: string
    label: string
    confirm?: string
    opinion: boolean
  })[]
  op_types: ({
    op: string
    name: string
    description: string
    materials: ({
      field: string
      name: string
    })[]
  })[]
  change_kinds: Record<string, string>
}

/** Go: models.FieldDef */
export interface FieldDef {
  name: string
  label: string
  synonyms: string[]
  paragraphs: boolean
  width: number
  max_runes: number
}

/** Go: models.Layout */
export interface Layout {
  kind: string
  columns: LayoutColumn[]
  category_headings: boolean
}

/** Go: models.Column */
export interface LayoutColumn {
  header: string
  field?: string
}

/** Go: codes.Rule */
export interface CodeRule {
  length: number
  type_len: number
  types: CodeType[]
  aliases: Record<string, string>
}

/** Go: codes.Type */
export interface CodeType {
  digits: string
  category: string
}

/** Go: api.agencyJSON */
export interface Agency {
  id: number
  name: string
}

/** Go: api.regionJSON */
export interface Region {
  code: string
  name: string
}

/** Go: api.listJSON */
export interface ListSummary {
  id: number
  title: string
  kind: ListKind
  agency: Agency
  region: Region
  version: number
  item_count: number
}

/** Go: api.listPageJSON */
export interface ListPage {
  lists: ListSummary[]
  total: number
}

/** Go: api.listDetailJSON */
export interface ListDetail {
  id: number
  title: string
  kind: ListKind
  agency: Agency
  region: Region
  version: number
  item_count: number
  layout: Layout | null
}

/** Go: models.Citation */
export interface Citation {
  level: string
  title: string
  edition: string
  articles: string
}

/** Go: models.ItemFields */
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
  extra?: Record<string, string>
}

/** Go: api.itemJSON */
export interface Item {
  id: number
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
  extra?: Record<string, string>
}

/** Go: diff.Segment */
export interface Segment {
  op: string
  text: string
}

/** Go: diff.Field */
export interface FieldChange {
  field: string
  before: string
  after: string
  segments: Segment[]
}

/** Go: api.previewJSON */
export interface OperationPreview {
  item_id: number
  kind: ChangeKind
  kind_name: string
  before: Item | null
  after: Item | null
  fields: FieldChange[]
  merged_from: Item[]
  split_into: Item[]
  changed: string[]
}

/** Go: api.operationMarkJSON */
export interface OperationMark {
  mark: Mark
  changes: FieldChange[]
}

/** Go: api.operationJSON */
export interface Operation {
  id: number
  number: number
  op: OpType
  op_name: string
  item_id: number | null
  item: ItemFields | null
  reason: string
  basis: string
  basis_citations: Citation[]
  source: string
  after_item_id: number | null
  sources: number[]
  parts: ItemFields[]
  delegate_to: string
  supervision: string
  takeover_plan: string
  preview: OperationPreview
  code_problem?: string
  since_return?: OperationMark | null
  created_at: string
}

/** Go: api.errorBody */
export interface ErrorBody {
  code: string
  message: string
  details?: unknown
}

/** Go: api.loginJSON */
export interface Login {
  expires_at: string
  must_change_password: boolean
  token?: string
  user: User
}

/** Go: api.personJSON */
export interface Person {
  id: number
  display_name: string
}

/** Go: api.listRefJSON */
export interface ListRef {
  id: number
  title: string
  kind: ListKind
}

/** Go: api.clockJSON */
export interface Clock {
  step: string
  step_name: string
  started: string
  due: string | null
  days_left: number | null
  overdue: boolean
  limit: number
}

/** Go: api.changeRequestJSON */
export interface ChangeRequest {
  id: number
  list: ListRef
  agency: Agency
  region_code: string
  title: string
  reason: string
  state: State
  state_name: string
  base_version: number
  published_version: number | null
  version: number
  submitter: Person
  created_at: string
  updated_at: string
  trigger_date: string | null
  clock: Clock | null
}

/** Go: api.changeRequestPageJSON */
export interface ChangeRequestPage {
  change_requests: ChangeRequest[]
  total: number
  limit: number
  offset: number
}

/** Go: api.publishableJSON */
export interface Publishable {
  list_id: number
  change_requests: ChangeRequest[]
  max: number
}

/** Go: api.supervisionJSON */
export interface Supervision {
  change_requests: ChangeRequest[]
}

/** Go: api.requestCountsJSON */
export interface ChangeRequestCounts {
  counts: Partial<Record<State, number>>
  waiting: number
  drafts: number
}

/** Go: api.eventJSON */
export interface RequestEvent {
  event: string
  event_name: string
  from_state: string
  to_state: string
  actor: Person
  comment: string
  version: number
  at: string
}

/** Go: workflow.ItemRef */
export interface ItemRef {
  item_id: number
  code: string
  name: string
}

/** Go: workflow.Limits */
export interface Limits {
  apply: number
  review: number
  approval: number
  publish: number
}

/** Go: api.regionLimitsJSON */
export interface RegionLimits {
  region: string
  limits: Limits
  defaults: Limits
}

/** Go: workflow.Process */
export interface ProcessSetting {
  reviews: Review[]
  parallel: boolean
  approval_ops: OpType[]
  limits: Limits
}

/** Go: api.processJSON */
export interface RegionProcess {
  region: string
  process: ProcessSetting
  from: string
  defaults: ProcessSetting
}

/** Go: api.countersignJSON */
export interface Countersign {
  id: number
  agency_id: number
  agency_name: string
  reason: string
  answer: string
  opinion: string
  answerer: string
  answered_at: string | null
}

/** Go: workflow.Problem */
export interface MissingMaterial {
  operation_id: number
  number: number
  op: OpType
  field?: string
  message: string
}

/** Go: api.sinceReturnJSON */
export interface SinceReturn {
  return: RequestEvent
  deleted: DeletedOperation[]
}

/** Go: api.deletedOperationJSON */
export interface DeletedOperation {
  number: number
  op: OpType
  op_name: string
  item_id: number | null
  name: string
  reason: string
}

/** Go: models.Trigger */
export interface Trigger {
  change_id: number
  instrument_id: number
  instrument_title: string
  kind: string
  kind_name: string
  date: string
}

/** Go: api.findingKindJSON */
export interface FindingKind {
  kind: string
  label: string
}

/** Go: basis.InstrumentRef */
export interface InstrumentRef {
  id: number
  title: string
  level: string
  status: string
}

/** Go: basis.CitedRef */
export interface CitedRef {
  level: string
  title: string
  edition: string
}

/** Go: basis.Finding */
export interface Finding {
  item_id?: number
  item_name?: string
  operation_id?: number
  field: string
  kind: string
  citation: CitedRef
  instrument: InstrumentRef | null
  message: string
}

/** Go: api.basisCheckJSON */
export interface BasisCheck {
  list_id: number
  version: number
  findings: Finding[]
  summary: Record<string, number>
  kinds: FindingKind[]
}

/** Go: api.basisReportListJSON */
export interface BasisReportList {
  list: ListSummary
  findings: Finding[]
  summary: Record<string, number>
}

/** Go: api.basisReportJSON */
export interface BasisReport {
  region_code: string
  lists: BasisReportList[]
  kinds: FindingKind[]
}

/** Go: api.changeRequestDetailJSON */
export interface ChangeRequestDetail {
  id: number
  list: ListRef
  agency: Agency
  region_code: string
  title: string
  reason: string
  state: State
  state_name: string
  base_version: number
  published_version: number | null
  version: number
  submitter: Person
  created_at: string
  updated_at: string
  trigger_date: string | null
  clock: Clock | null
  list_version: number
  operations: Operation[]
  conflicts: ItemRef[]
  opinions: RequestEvent[]
  timeline: RequestEvent[]
  allowed_events: string[]
  may_urge: boolean
  findings: Finding[]
  finding_kinds: FindingKind[]
  trigger: Trigger | null
  blocked_events: Record<string, string>
  since_return: SinceReturn | null
  deletable: boolean
  editable: boolean
  process: ProcessSetting
  track: Track
  countersigns: Countersign[]
  signed: Review[]
  missing_materials: MissingMaterial[]
}

/** Go: api.candidateJSON */
export interface Candidate {
  id: number
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
  extra?: Record<string, string>
  list: ListSummary
}

/** Go: api.candidatesJSON */
export interface Candidates {
  items: Candidate[]
}

/** Go: api.itemsPageJSON */
export interface ItemsPage {
  list_id: number
  version: number
  items: Item[]
}

/** Go: api.versionCRJSON */
export interface ChangeRequestRef {
  id: number
  title: string
  agency: string
  trigger: Trigger | null
}

/** Go: api.countsJSON */
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

/** Go: api.versionJSON */
export interface Version {
  number: number
  published_at: string
  item_count: number
  change_request: ChangeRequestRef | null
  change_requests: ChangeRequestRef[]
  batch_name: string
  doc_number: string
  publish_date: string
  counts: VersionCounts
}

/** Go: api.batchPublishedJSON */
export interface BatchPublished {
  list_id: number
  version: Version
}

/** Go: api.versionsJSON */
export interface Versions {
  list_id: number
  versions: Version[]
}

/** Go: api.changeJSON */
export interface Change {
  item_id: number
  kind: ChangeKind
  kind_name: string
  before: Item | null
  after: Item | null
  fields: FieldChange[]
  merged_from: Item[]
  split_into: Item[]
}

/** Go: api.diffJSON */
export interface Diff {
  list_id: number
  from: number
  to: number
  changes: Change[]
}

/** Go: api.historyCRJSON */
export interface HistoryChangeRequest {
  id: number
  title: string
  reason: string
  agency: string
  operation_reason: string
  operation_basis: string
  submitted_at: string | null
  approved_at: string | null
  trigger: Trigger | null
}

/** Go: api.actorJSON */
export interface Actor {
  id: number
  display_name: string
  role: Role
  role_name: string
}

/** Go: api.opinionJSON */
export interface Opinion {
  event: string
  from_state: string
  to_state: string
  comment: string
  at: string
  actor: Actor
}

/** Go: api.personActsJSON */
export interface HistoryPerson {
  id: number
  display_name: string
  role: Role
  role_name: string
  acts: string[]
}

/** Go: api.lineageJSON */
export interface Lineage {
  op: string
  op_name: string
  direction: string
  item_id: number
  name: string
}

/** Go: api.historyEntryJSON */
export interface HistoryEntry {
  version: number
  valid_to: number | null
  published_at: string
  op: string
  note: string
  prev_code: string
  item: Item | null
  change_request: HistoryChangeRequest | null
  opinions: Opinion[]
  people: HistoryPerson[]
  lineage: Lineage[]
}

/** Go: api.itemHistoryJSON */
export interface ItemHistory {
  item_id: number
  list_id: number
  removed_in: number | null
  revisions: HistoryEntry[]
}

/** Go: api.userJSON */
export interface User {
  id: number
  username: string
  display_name: string
  role: Role
  role_name: string
  agency: Agency | null
  region: Region | null
  must_change_password: boolean
}

/** Go: api.adminUserJSON */
export interface AdminUser {
  id: number
  username: string
  display_name: string
  role: Role
  role_name: string
  agency: Agency | null
  region: Region | null
  must_change_password: boolean
  disabled: boolean
  locked_until: string | null
  created_at: string
}

/** Go: api.userPageJSON */
export interface UserPage {
  users: AdminUser[]
  total: number
}

/** Go: api.agencyRowJSON */
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

/** Go: api.agencyPageJSON */
export interface AgencyPage {
  agencies: AgencyRow[]
  total: number
}

/** Go: api.onboardAgencyJSON */
export interface OnboardAgency {
  row: number
  name: string
  kind: string
  kind_name: string
  error?: string
}

/** Go: api.onboardPersonJSON */
export interface OnboardPerson {
  row: number
  username: string
  display_name: string
  agency: string
  role: string
  role_name: string
  error?: string
}

/** Go: api.onboardPreviewJSON */
export interface OnboardPreview {
  agencies: OnboardAgency[]
  people: OnboardPerson[]
  ok: boolean
}

/** Go: auth.OnboardCredential */
export interface OnboardCredential {
  username: string
  display_name: string
  agency: string
  role_name: string
  password: string
}

/** Go: api.onboardedJSON */
export interface Onboarded {
  agencies_created: number
  credentials: OnboardCredential[]
  credentials_xlsx: string
  credentials_file: string
}

/** Go: api.regionRowJSON */
export interface RegionRow {
  code: string
  name: string
  level: RegionLevel
  level_name: string
  parent_code: string | null
  full_name: string
}

/** Go: api.regionPageJSON */
export interface RegionPage {
  regions: RegionRow[]
  total: number
}

/** Go: api.regionWithParentsJSON */
export interface RegionWithParents {
  region: RegionRow
  parents: RegionRow[]
}

/** Go: api.notificationJSON */
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

/** Go: api.notificationPageJSON */
export interface NotificationPage {
  notifications: Notification[]
  total: number
  unread: number
  page: number
  page_size: number
}

/** Go: api.unreadJSON */
export interface UnreadCount {
  unread: number
}

/** Go: api.notificationSettingsJSON */
export interface NotificationSettings {
  email: string
  mail_enabled: boolean
}

/** Go: api.calendarDayJSON */
export interface CalendarDay {
  id: number
  date: string
  kind: CalendarDayKind
  kind_name: string
  region: string
  name: string
  basis: string
}

/** Go: api.workdayJSON */
export interface Workday {
  date: string
}

/** Go: api.calendarDaysJSON */
export interface CalendarDays {
  days: CalendarDay[]
}

/** Go: basis.Edition */
export interface InstrumentEdition {
  date: string
  kind: string
}

/** Go: api.instrumentJSON */
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
  created_at: string
  updated_at: string
  editions: ({
    id: number
    date: string
    kind: string
  })[]
  texts: InstrumentEdition[]
  citing_items: number | null
}

/** Go: api.instrumentPageJSON */
export interface InstrumentPage {
  instruments: Instrument[]
  total: number
  levels: string[]
  statuses: string[]
  edition_kinds: string[]
}

/** Go: api.changeJSONOut */
export interface InstrumentChange {
  id: number
  instrument_id: number
  kind: string
  date: string
  replaced_by: number | null
  note: string
  region_code: string
  created_at: string
  kind_name: string
}

/** Go: api.instrumentDetailJSON */
export interface InstrumentDetail {
  instrument: Instrument
  changes: InstrumentChange[]
}

/** Go: api.instrumentSavedJSON */
export interface InstrumentSaved {
  instrument: Instrument
}

/** Go: workflow.ImportResult */
export interface InstrumentImport {
  created: string[]
  updated: string[]
}

/** Go: api.draftJSON */
export interface Draft {
  change_request_id: number
  list_id: number
  agency: string
  operations: number
  created: boolean
}

/** Go: api.draftsJSON */
export interface Drafts {
  drafts: Draft[]
  created: number
}

/** Go: api.changeViewJSON */
export interface ChangeView {
  id: number
  instrument_id: number
  kind: string
  date: string
  replaced_by: number | null
  note: string
  region_code: string
  created_at: string
  kind_name: string
  instrument: InstrumentRef
}

/** Go: api.impactCitationJSON */
export interface ImpactCitation {
  field: string
  level: string
  title: string
  edition: string
  edition_date: string
}

/** Go: api.impactItemJSON */
export interface ImpactItem {
  item_id: number
  code: string
  name: string
  citations: ImpactCitation[]
}

/** Go: api.impactListJSON */
export interface ImpactList {
  list_id: number
  title: string
  agency: Agency
  region_code: string
  draft_id: number | null
  item_count: number
  items: ImpactItem[]
}

/** Go: api.impactJSON */
export interface Impact {
  change: ChangeView
  lists: ImpactList[]
  item_count: number
  list_count: number
  pending_lists: number
  limit: number
  offset: number
}

/** Go: importer.SourceColumn */
export interface SourceColumn {
  index: number
  header: string
  field: string
  score: number
}

/** Go: importer.Anomaly */
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

/** Go: importer.Preview */
export interface ImportPreview {
  id: number
  file_name: string
  agency: string
  region_code: string
  title: string
  kind: ListKind
  format: string
  encoding?: string
  columns: SourceColumn[]
  layout: Layout | null
  items: ItemFields[]
  lines: number[]
  sheets?: string[]
  report: {
    counts: ({
      category: string
      count: number
    })[]
    anomalies: ImportAnomaly[]
    skipped: {
      blank_lines: number
      separator_rows: number
      header_rows: number
    }
  }
}

/** Go: api.importedJSON */
export interface Imported {
  list_id: number
  version: number
  items: number
}

/** Go: api.attachmentJSON */
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
  may_delete: boolean
}

/** Go: api.attachmentKindJSON */
export interface AttachmentKind {
  value: string
  label: string
}

/** Go: api.attachmentsPageJSON */
export interface AttachmentsPage {
  attachments: Attachment[]
  may_add: boolean
  kind: string
  kinds: AttachmentKind[]
  types: ({
    mime: string
    label: string
    extensions: string[]
  })[]
  max_bytes: number
  max_count: number
}

/** Go: api.calendarYearJSON */
export interface CalendarYear {
  year: number
  region: string
  workdays: number
  national_notice: boolean
  days: CalendarDay[]
}

/** Go: search.Segment */
export interface SearchSegment {
  text: string
  hit?: boolean
}

/** Go: search.FieldMatch */
export interface SearchFieldMatch {
  field: string
  label: string
  segments: SearchSegment[]
}

/** Go: search.Item */
export interface SearchItem {
  id: number
  code: string
  name: string
  subitem: string
  category: string
  matches: SearchFieldMatch[]
}

/** Go: search.Group */
export interface SearchGroup {
  list: {
    id: number
    title: string
    kind: string
    version: number
  }
  agency: {
    id?: number
    code?: string
    name: string
  }
  region: {
    id?: number
    code?: string
    name: string
  }
  total: number
  items: SearchItem[]
}

/** Go: search.Count */
export interface FacetCount {
  id?: number
  code?: string
  name: string
  count: number
}

/** Go: search.Result */
export interface SearchResult {
  q: string
  total: number
  limit: number
  offset: number
  groups: SearchGroup[]
  facets: {
    regions: FacetCount[]
    categories: FacetCount[]
    agencies: FacetCount[]
  }
}

/** Go: stats.Table */
export interface StatsTable {
  name: string
  title: string
  columns: string[]
  rows: unknown[][]
  chart?: {
    kind: ChartKind
    x: number
    series: number[]
  } | null
}

/** Go: models.Region */
export interface StatsRegion {
  code: string
  name: string
  parent_code?: string | null
  level: string
}

/** Go: stats.Answer */
export interface StatsAnswer {
  region: StatsRegion
  path: StatsRegion[]
  children: StatsRegion[]
  tables: StatsTable[]
}
