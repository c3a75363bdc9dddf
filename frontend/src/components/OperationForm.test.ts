import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import OperationForm from './OperationForm.vue'
import type { Layout } from '../api/types'
import { meta } from '../meta'
import { global, item } from './testing'


const items = [
  item({ id: 11, seq: 1, name: '对骗取医保基金的处罚', category: '行政处罚', code: '0247001000', basis: '【法律】《中华人民共和国社会保险法》\n第八十八条', content: '责令退回\n处罚款' }),
  item({ id: 12, seq: 1, name: '医疗保险违法行为的处理', category: '其他类', code: '1047014000' }),
]

// Element Plus forms mount slowly on a shared machine.
vi.setConfig({ testTimeout: 30000 })

function errors(w: ReturnType<typeof mount>): string[] {
  return w.findAll('.el-form-item__error').map((e) => e.text())
}

// Element Plus shows a form item's error after a 100 ms debounce.
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 150))
  await flushPromises()
}

async function submit(w: ReturnType<typeof mount>) {
  await w.find('form').trigger('submit')
  await settle()
}

describe('OperationForm', () => {
  it('names every missing required field of an 增加 and sends nothing', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items } })
    await submit(w)
    expect(errors(w)).toEqual(['职权名称不能为空', '权力类型不能为空', '请填写增加此事项的理由', '请填写增加此事项的法律依据'])
    expect(w.emitted('submit')).toBeUndefined()
  })

  it('leaves the rules to the server: a code and basis it would refuse are sent as typed', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items } })
    const vm = w.vm as unknown as { form: { item: Record<string, string>; reason: string; basis: string } }
    Object.assign(vm.form.item, { name: '新事项', category: '行政处罚', code: '1047014000', basis: '社会保险法第八条' })
    vm.form.reason = '依法增加'
    vm.form.basis = '【法律】《中华人民共和国社会保险法》第八条'
    await submit(w)
    expect(errors(w)).toEqual([])
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({
      op: 'add',
      item: { name: '新事项', category: '行政处罚', code: '1047014000', basis: '社会保险法第八条' },
    })
    await w.setProps({ serverErrors: { 'item.code': '基本编码“1047014000”的类型位“10”表示“其他”，与权力类型“行政处罚”（应为“02”）不一致' } })
    await settle()
    expect(w.find('[data-testid="op-code"]').element.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent).toContain('类型位“10”')
  })

  it('places an added item after a chosen item of its category, and sends no place for the default', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items } })
    const vm = w.vm as unknown as { form: { item: Record<string, string>; reason: string; basis: string; after: string | number } }
    Object.assign(vm.form.item, { name: '新事项', category: '行政处罚', code: '0247009000' })
    vm.form.reason = '依法增加'
    vm.form.basis = '【法律】《中华人民共和国社会保险法》第八条'
    await settle()
    expect(w.find('[data-testid="op-position"]').exists()).toBe(true)
    await submit(w)
    expect(w.emitted('submit')?.[0]?.[0]).not.toHaveProperty('after_item_id')
    vm.form.after = 11
    await submit(w)
    expect(w.emitted('submit')?.[1]?.[0]).toMatchObject({ after_item_id: 11 })
    vm.form.after = 'first'
    await submit(w)
    expect(w.emitted('submit')?.[2]?.[0]).toMatchObject({ after_item_id: 0 })
    // Another category starts again at its end.
    vm.form.item.category = '其他类'
    vm.form.item.code = '1047099000'
    await submit(w)
    expect(w.emitted('submit')?.[3]?.[0]).not.toHaveProperty('after_item_id')
  }, 20_000) // four validated submissions

  it('prefills a 调整 from the chosen item, a paragraph a line', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items, initialOp: 'modify' } })
    const vm = w.vm as unknown as { form: { item_id?: number; item: Record<string, string> } }
    await submit(w)
    expect(errors(w)).toContain('请选择要调整的事项')
    expect(errors(w)).not.toContain('职权名称不能为空')
    vm.form.item_id = 11
    await settle()
    expect(vm.form.item.name).toBe('对骗取医保基金的处罚')
    expect(vm.form.item.content).toBe('责令退回\n处罚款')
    expect(vm.form.item.basis).toBe('【法律】《中华人民共和国社会保险法》\n第八十八条')

    // Only what was edited is sent.
    const f = vm.form as unknown as { reason: string; basis: string }
    f.reason = '降低罚款倍数'
    f.basis = '【行政法规】《医疗保障基金使用监督管理条例》第四十条'
    vm.form.item.content = '责令退回\n处一倍罚款'
    await submit(w)
    expect(w.emitted('submit')?.[0]?.[0]).toEqual({
      op: 'modify', item_id: 11, reason: '降低罚款倍数', basis: '【行政法规】《医疗保障基金使用监督管理条例》第四十条',
      item: { content: '责令退回\n处一倍罚款' },
    })
  })

  it('sends a 改为 with the new category and code as chosen', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items, initialOp: 'recategorize' } })
    const vm = w.vm as unknown as { form: { item_id?: number; item: Record<string, string>; reason: string; basis: string } }
    vm.form.item_id = 12
    await settle()
    vm.form.item.category = '行政处罚'
    vm.form.item.code = '0247014000'
    vm.form.reason = '改为行政处罚'
    vm.form.basis = '【行政法规】《医疗保障基金使用监督管理条例》第三十八条'
    await submit(w)
    expect(errors(w)).toEqual([])
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({ op: 'recategorize', item_id: 12, item: { category: '行政处罚', code: '0247014000' } })
  })

  it('shows the server’s field messages beside the fields', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items, serverErrors: { 'item.code': '基本编码“0247001000”与第1项重复' } } })
    await settle()
    expect(errors(w)).toEqual(['基本编码“0247001000”与第1项重复'])
  })
})

describe('a list with its own columns', () => {
  const layout: Layout = {
    kind: 'duty',
    category_headings: false,
    columns: [
      { header: '序号', field: 'seq' }, { header: '权力名称', field: 'name' }, { header: '权力类别', field: 'category' },
      { header: '承接单位' }, { header: '是否涉企' }, { header: '设定依据', field: 'basis' },
    ],
  }
  const own = [item({ id: 21, name: '对无证行医的处罚', category: '行政处罚', basis: '《医疗机构管理条例》第二十四条', extra: { 承接单位: '乡镇卫生院', 是否涉企: '否' } })]

  it('shows its columns under their own headers, extras included, and only those', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'duty', layout, items: own } })
    await settle()
    const labels = w.findAll('.el-form-item__label').map((l) => l.text())
    // In the list's order, the extra columns in their place between 权力类别 and 设定依据.
    expect(labels).toEqual(['操作类型', '权力名称', '权力类别', '承接单位', '是否涉企', '设定依据', '修改理由', '调整依据'])
    expect(w.find('[data-testid="op-item-duty"]').exists()).toBe(false)
  })

  it('prefills an adjustment from the item and sends only the extra that changed', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'duty', layout, items: own, initialOp: 'modify' } })
    const vm = w.vm as unknown as { form: { item_id?: number; extra: Record<string, string>; reason: string; basis: string } }
    vm.form.item_id = 21
    await settle()
    expect(vm.form.extra).toEqual({ 承接单位: '乡镇卫生院', 是否涉企: '否' })
    vm.form.extra['是否涉企'] = '是'
    vm.form.reason = '涉及医疗机构'
    vm.form.basis = '【行政法规】《医疗机构管理条例》第二十四条'
    await submit(w)
    expect(w.emitted('submit')?.[0]?.[0]).toEqual({
      op: 'modify', item_id: 21, reason: '涉及医疗机构', basis: '【行政法规】《医疗机构管理条例》第二十四条', item: { extra: { 是否涉企: '是' } },
    })
  })

  it("shows the server's message at the extra column it names", async () => {
    const w = mount(OperationForm, { global, props: { kind: 'duty', layout, items: own, serverErrors: { 'item.extra.承接单位': '不能超过 3000 字（现有 3001 字）' } } })
    await settle()
    const box = w.find('[data-testid="op-extra-承接单位"]').element.closest('.el-form-item')
    expect(box?.querySelector('.el-form-item__error')?.textContent).toBe('不能超过 3000 字（现有 3001 字）')
    // Once the user changes the field, the server's old word on it goes.
    ;(w.vm as unknown as { form: { extra: Record<string, string> } }).form.extra['承接单位'] = '乡镇卫生院'
    await settle()
    expect(box?.querySelector('.el-form-item__error')).toBeNull()
  })

  it('sizes each input by the limit the server serves', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'duty', layout, items: own } })
    await settle()
    expect(w.find('[data-testid="op-item-name"]').attributes('maxlength')).toBe(String(meta.fields.find((f) => f.name === 'name')?.max_runes))
  })
})
