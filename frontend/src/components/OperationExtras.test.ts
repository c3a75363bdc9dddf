import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import OperationForm from './OperationForm.vue'
import type { Layout } from '../api/types'
import { global, item } from './testing'

// The type-specific parts of the operation dialog: what a 分设, a 下放 and a
// 取消 send (the server checks them; the dialog only collects them).
const items = [
  item({ id: 21, seq: 1, name: '对定点医疗机构的检查', category: '行政检查', code: '0647007000', level: '县级' }),
  item({ id: 22, seq: 2, name: '社会保险稽核', category: '行政检查', code: '0647002000', level: '县级' }),
]
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 150))
  await flushPromises()
}
type VM = { form: { item_id?: number; item: Record<string, string>; reason: string; basis: string } }

async function draft(op: string, layout: Layout | null = null) {
  const w = mount(OperationForm, { global, props: { kind: 'power', layout, items, initialOp: op as never } })
  const vm = w.vm as unknown as VM
  vm.form.item_id = 21
  vm.form.reason = '放管服改革'
  vm.form.basis = '【行政法规】《医疗保障基金使用监督管理条例》第二十二条'
  await settle()
  return { w, vm }
}

describe('OperationExtras', () => {
  it('a 分设 starts as two parts of the item and sends them', async () => {
    const { w } = await draft('split')
    expect((w.find('input[data-testid="op-part-name-1"]').element as HTMLInputElement).value).toBe('对定点医疗机构的检查')
    expect((w.find('input[data-testid="op-part-code-0"]').element as HTMLInputElement).value).toBe('0647007000')
    await w.find('input[data-testid="op-part-subitem-0"]').setValue('定点医疗机构')
    await w.find('input[data-testid="op-part-subitem-1"]').setValue('定点零售药店')
    await w.find('input[data-testid="op-part-code-1"]').setValue('0647012000')
    await w.find('form').trigger('submit')
    await settle()
    expect(w.emitted('submit')?.[0]?.[0]).toEqual({
      op: 'split', item_id: 21, reason: '放管服改革', basis: '【行政法规】《医疗保障基金使用监督管理条例》第二十二条',
      parts: [
        { name: '对定点医疗机构的检查', subitem: '定点医疗机构', code: '0647007000' },
        { name: '对定点医疗机构的检查', subitem: '定点零售药店', code: '0647012000' },
      ],
    })
  }, 20_000) // a validated submission

  it("names a part's fields by the list's headers and leaves out the columns it lacks", async () => {
    const layout: Layout = {
      kind: 'power', category_headings: true,
      columns: [{ header: '编号', field: 'seq' }, { header: '主项名称', field: 'name' }, { header: '子项名称', field: 'subitem' }, { header: '实施主体', field: 'department' }],
    }
    const { w } = await draft('split', layout)
    expect(w.findAll('[data-testid="op-part-0"] input').map((i) => i.attributes('placeholder'))).toEqual(['主项名称', '子项名称'])
    expect(w.find('[data-testid="op-part-code-0"]').exists()).toBe(false) // the list has no code column
  })

  it('a 下放 sends where to, the new level and its 事中事后监管措施', async () => {
    const { w, vm } = await draft('delegate')
    expect(w.find('[data-testid="op-takeover-plan"]').exists()).toBe(false)
    await w.find('input[data-testid="op-delegate-to"]').setValue('乡镇人民政府')
    await w.find('textarea[data-testid="op-supervision"]').setValue('区医疗保障局每半年抽查一次')
    vm.form.item.level = '乡镇'
    await w.find('form').trigger('submit')
    await settle()
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({
      op: 'delegate', item_id: 21, delegate_to: '乡镇人民政府', supervision: '区医疗保障局每半年抽查一次', item: { level: '乡镇' },
    })
  }, 20_000)

  it('shows the server’s message at a part’s field', async () => {
    const w = mount(OperationForm, {
      global,
      props: { kind: 'power', items, initialOp: 'split', serverErrors: { 'parts.1.code': 'parts.1.code：分设后的第 2 个事项与第 1 个事项的基本编码相同（0647007000）' } },
    })
    ;(w.vm as unknown as VM).form.item_id = 21
    await settle()
    expect(w.find('[data-testid="op-part-1"]').text()).toContain('基本编码相同')
  }, 20_000)
})
