import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import FindingsTable from './FindingsTable.vue'
import type { Finding, Layout } from '../api/types'
import { global } from './testing'

const finding = (field: string): Finding => ({
  item_id: 3, item_name: '对骗保行为的处罚', field, kind: 'unknown', citation: { level: '行政法规', title: '医疗保障条例', edition: '' },
  instrument: null, message: '法规库中没有此名称',
})
const kinds = [{ kind: 'unknown', label: '名称不在法规库' }]
// The table renders its rows after it has measured itself.
async function fields(w: ReturnType<typeof mount>) {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 50))
  return w.findAll('[data-testid="finding-field"]').map((d) => d.text())
}

describe('FindingsTable', () => {
  it("names the cited field as the list heads its column, an operation's basis as the server does", async () => {
    const layout: Layout = { kind: 'power', category_headings: true, columns: [{ header: '事项名称', field: 'name' }, { header: '设定依据', field: 'basis' }] }
    const w = mount(FindingsTable, { global, props: { findings: [finding('basis'), finding('op_basis')], kinds, layout } })
    expect(await fields(w)).toEqual(['设定依据', '调整依据'])
  })

  it('names it as the server does where no list is given', async () => {
    const w = mount(FindingsTable, { global, props: { findings: [finding('basis')], kinds } })
    expect(await fields(w)).toEqual(['职权依据'])
  })
})
