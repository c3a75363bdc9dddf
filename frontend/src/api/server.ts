// Generated from the Go types of the API answers (api/tstypes_test.go):
// do not edit; go test ./api -run TestTSTypes -update-types rewrites it.

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
  kind: string
  agency: Agency
  region: Region
  version: number
  item_count: number
}

/** Go: api.listDetailJSON */
export interface ListDetail {
  id: number
  title: string
  kind: string
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
  kind: string
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
  mark: string
  changes: FieldChange[]
}

/** Go: api.operationJSON */
export interface Operation {
  id: number
  number: number
  op: string
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
