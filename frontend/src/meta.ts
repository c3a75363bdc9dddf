// The domain as the server defines it (GET /api/v1/meta): item fields,
// layouts, power types and labels. meta.json is the server's answer at build
// time (the Go test TestMeta keeps it equal), so the first render and the
// component tests have it; loadMeta refreshes it from the running server.
import { get } from './api/client'
import initial from './meta.json'

export interface FieldDef {
  name: string
  label: string
  synonyms: string[]
  paragraphs: boolean
  width: number
}

export interface LayoutColumn {
  header: string
  field?: string // none: an extra column, kept by header
}

export interface Layout {
  kind: string
  columns: LayoutColumn[]
  category_headings: boolean
}

export interface Meta {
  fields: FieldDef[]
  layouts: Record<string, Layout>
  categories: string[]
  list_kinds: Record<string, string>
  roles: Record<string, string>
  operations: Record<string, string>
  states: Record<string, string>
  events: Record<string, string>
  op_types: OpTypeDef[]
  change_kinds: Record<string, string>
}

/** An operation type: its name and the materials a request needs before submission. */
export interface OpTypeDef {
  op: string
  name: string
  materials: { field: 'supervision' | 'takeover_plan'; name: string }[]
}

export const meta: Meta = structuredClone(initial) as Meta

/** Updates meta in place from the server, so tables read elsewhere stay the same objects. */
export async function loadMeta(): Promise<void> {
  const fresh = await get<Meta>('/meta')
  for (const key of Object.keys(fresh) as (keyof Meta)[]) {
    const target = meta[key] as unknown
    if (Array.isArray(target)) target.splice(0, target.length, ...(fresh[key] as unknown[]))
    else Object.assign(target as object, fresh[key])
  }
}
