import { describe, expect, it } from 'vitest'
import {
  actions, agencyKindLabels, canonicalCategory, eventLabels, fieldLabel, kindLabels, layoutColumns, layoutFields, listKindLabels,
  longFields, markLabels, opDescription, opFieldLabels, opLabels, reviewLabels, roleLabels, stateLabels, trackLabels,
} from './labels'
import { meta } from '../meta'
import { AgencyKind, ChangeKind, ListKind, Mark, MaterialField, OpType, Review, Role, State, Track } from '../api/server'

// The labels come from the server's field table (meta.json is GET /api/v1/meta).
describe('labels from the server', () => {
  it('names fields as each layout heads its column', () => {
    expect(fieldLabel('name', meta.layouts.power)).toBe('职权名称')
    expect(fieldLabel('name', meta.layouts.duty)).toBe('事项名称')
    expect(fieldLabel('duty', meta.layouts.power)).toBe('部门职责') // not in the layout: the field's own name
    expect(fieldLabel('name', { kind: 'power', category_headings: false, columns: [{ header: '主项名称', field: 'name' }] })).toBe('主项名称')
    expect(fieldLabel('extra.承接单位')).toBe('承接单位')
  })
  it('shows only the fields a layout has', () => {
    expect(layoutFields(meta.layouts.duty!)).not.toContain('code') // a 权责清单 has no 基本编码 column
    expect(layoutFields(meta.layouts.power!).slice(0, 5)).toEqual(['seq', 'name', 'subitem', 'code', 'category'])
  })
  it("keeps an imported list's own columns, extras in their place", () => {
    const cols = layoutColumns({
      kind: 'duty', category_headings: false,
      columns: [{ header: '序号', field: 'seq' }, { header: '权力名称', field: 'name' }, { header: '承接单位' }, { header: '类别', field: 'category' }],
    })
    expect(cols.map((c) => c.header)).toEqual(['序号', '权力名称', '承接单位', '类别'])
  })
  it("groups categories by the server's alias table", () => {
    expect(canonicalCategory(' 其他类 ')).toBe('其他')
    expect(canonicalCategory('行政处罚')).toBe('行政处罚')
  })
  it('knows which fields hold paragraphs and what operations are called', () => {
    expect(longFields.has('basis')).toBe(true)
    expect(longFields.has('code')).toBe(false)
    expect(opLabels.recategorize).toBe('改为')
  })
})

// Every value the server may send (the unions generated from its Go
// constants) has the server's label, and so has every word the pages use.
describe('labels the UI uses are in meta', () => {
  const tables: [string, readonly string[], Record<string, string>][] = [
    ['states', State, stateLabels], ['operations', OpType, opLabels], ['list kinds', ListKind, listKindLabels],
    ['roles', Role, roleLabels], ['agency kinds', AgencyKind, agencyKindLabels], ['change kinds', ChangeKind, kindLabels],
    ['reviews', Review, reviewLabels], ['tracks', Track, trackLabels], ['marks', Mark, markLabels],
  ]
  it.each(tables)('names every one of the %s', (_, values, labels) => {
    for (const v of values) expect(labels[v], v).toBeTruthy()
  })
  it('describes every operation and names its materials', () => {
    for (const op of OpType) expect(opDescription(op), op).toBeTruthy()
    const materials = new Set(meta.op_types.flatMap((t) => t.materials.map((m) => m.field)))
    expect([...materials].sort()).toEqual([...MaterialField])
  })
  it("has the request page's buttons, steps and operation fields", () => {
    for (const a of actions) expect(a.label, a.event).toBeTruthy()
    expect(actions.map((a) => a.event)).toEqual(expect.arrayContaining(['submit', 'pass', 'approve', 'publish', 'return', 'reject', 'withdraw', 'cancel', 'agree', 'disagree']))
    for (const e of ['create', 'submit', 'publish']) expect(eventLabels[e], e).toBeTruthy()
    for (const f of ['reason', 'basis', 'source'] as const) expect(opFieldLabels[f], f).toBeTruthy()
  })
})
