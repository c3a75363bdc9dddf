// The Chinese words of the domain, one place for the whole UI. The server
// owns fields, layouts and labels (GET /api/v1/meta); they are read from meta.
import type { AgencyKind, ChangeKind, Layout, LayoutColumn, ListKind, OpType, Review, Role, State } from '../api/types'
import { meta } from '../meta'

export const stateLabels = meta.states as Record<State, string>

export const stateTagType: Record<State, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  draft: 'info',
  legal_review: 'warning',
  approval: 'warning',
  approved: 'primary',
  published: 'success',
  returned: 'danger',
  rejected: 'danger',
  cancelled: 'info',
  countersign: 'warning',
  staffing_review: 'warning',
  joint_review: 'warning',
}

// As the server names them (workflow.EventLabel); "create" (起草) starts every timeline.
export const eventLabels: Record<string, string> = meta.events

// The request page's buttons in order, as the server defines them (workflow.Actions).
export const actions = meta.actions
export const actionByEvent = (event: string) => meta.actions.find((a) => a.event === event)

// An operation against the request's last return (new, edited, unchanged).
export const markLabels = meta.marks as Record<'new' | 'edited' | 'unchanged', string>

// An operation's own fields (reason, basis, source), as the server names them.
export const opFieldLabels = meta.operation_fields

export const opLabels = meta.operations as Record<OpType, string>

// The reviews of a process and the tracks (models of 流程设置), as the server names them.
export const reviewLabels = meta.reviews as Record<Review, string>
export const trackLabels = meta.tracks as Record<'heavy' | 'light', string>

/** What an operation type does, as the server says it (meta.op_types). */
export function opDescription(op: OpType): string {
  return meta.op_types.find((t) => t.op === op)?.description ?? ''
}

// As the server names the kinds of change (models.ItemChangeLabels).
export const kindLabels = meta.change_kinds as Record<ChangeKind, string>

export const kindTagType: Record<ChangeKind, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  added: 'success',
  modified: 'warning',
  recategorized: 'primary',
  delegated: 'primary',
  merged: 'warning',
  split: 'warning',
  removed: 'danger',
}

// As the server names them (models.RoleLabels).
export const roleLabels = meta.roles as Record<Role, string>

// As the server names them (models.AgencyKindLabels).
export const agencyKindLabels = meta.agency_kinds as Record<AgencyKind, string>

export const listKindLabels = meta.list_kinds as { power: string; duty: string }

export type { ListKind }

/**
 * A field's label as a list heads its column: the header in the list's own
 * layout, an extra column ("extra.<header>") by its header, else the field's
 * name in the server's field table.
 */
export function fieldLabel(field: string, layout?: Layout | null): string {
  if (field.startsWith('extra.')) return field.slice('extra.'.length)
  const col = layout?.columns.find((c) => c.field === field)
  return col?.header ?? meta.fields.find((f) => f.name === field)?.label ?? field
}

/**
 * Changed fields (named as fields or "extra.<header>") in the order of the
 * list's columns, extras in their place; what the layout has no column for
 * keeps its order after them.
 */
export function inLayoutOrder<T extends { field: string }>(fields: T[], layout?: Layout | null): T[] {
  if (!layout) return fields
  const keys = layoutColumns(layout).map((c) => (c.field ? c.field : 'extra.' + c.header))
  const rank = (f: string) => {
    const i = keys.indexOf(f)
    return i < 0 ? keys.length : i
  }
  return [...fields].sort((a, b) => rank(a.field) - rank(b.field))
}

/**
 * A layout's columns in order, with the category where a list keeps it in
 * headings (一、行政处罚) shown after the name, 子项 and code; an extra column
 * has no field.
 */
export function layoutColumns(layout: Layout): LayoutColumn[] {
  const cols = [...layout.columns]
  if (layout.category_headings && !cols.some((c) => c.field === 'category')) {
    const after = Math.max(...['name', 'subitem', 'code'].map((f) => cols.findIndex((c) => c.field === f)))
    cols.splice(after + 1, 0, { header: meta.fields.find((f) => f.name === 'category')?.label ?? '权力类型', field: 'category' })
  }
  return cols
}

/** The item fields a layout shows, in column order. */
export function layoutFields(layout: Layout): string[] {
  return layoutColumns(layout)
    .map((c) => c.field)
    .filter((f): f is string => !!f)
}

/** Fields whose cells hold paragraphs (imported with <p> markup). */
export const longFields = {
  has: (field: string) => field.startsWith('extra.') || meta.fields.some((f) => f.name === field && f.paragraphs),
}

/** The server's limit of a field's text (FieldDef.max_runes), as an input's maxlength. */
export const maxRunes = (field: string) => meta.fields.find((f) => f.name === field)?.max_runes || undefined

/** A category as the code rule names it (其他类 → 其他): the server's alias table, for grouping. */
export function canonicalCategory(category: string): string {
  const c = category.trim()
  return meta.code_rule.aliases[c] ?? c
}

const cnNumbers = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二']

export function cnOrdinal(i: number): string {
  return cnNumbers[i] ?? String(i + 1)
}

export function formatTime(s: string | null | undefined): string {
  if (!s) return ''
  const d = new Date(s)
  if (isNaN(d.getTime())) return s
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}
