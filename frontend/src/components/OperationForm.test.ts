import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import OperationForm from './OperationForm.vue'
import type { Item } from '../api/types'
import { global } from './testing'

const item = (over: Partial<Item>): Item => ({
  id: 1, seq: 1, code: '', name: '', subitem: '', category: '', department: '', basis: '', citations: [], level: '',
  content: '', duty: '', responsibility: '', responsibility_basis: '', accountable: '', accountability: '', note: '', ...over,
})

const items = [
  item({ id: 11, seq: 1, name: '对骗取医保基金的处罚', category: '行政处罚', code: '0247001000', basis: '<p>【法律】《中华人民共和国社会保险法》</p><p>第八十八条</p>', content: '<p>责令退回</p><p>处罚款</p>' }),
  item({ id: 12, seq: 1, name: '医疗保险违法行为的处理', category: '其他类', code: '1047014000' }),
]

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

  it('checks the code against the category and the basis form, with the server’s words', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items } })
    const vm = w.vm as unknown as { form: { item: Record<string, string>; reason: string; basis: string } }
    Object.assign(vm.form.item, { name: '新事项', category: '行政处罚', code: '1047014000', basis: '社会保险法第八条' })
    vm.form.reason = '依法增加'
    vm.form.basis = '【法律】《中华人民共和国社会保险法》第八条'
    await submit(w)
    expect(errors(w)).toEqual([
      '基本编码“1047014000”的类型位“10”表示“其他”，与权力类型“行政处罚”（应为“02”）不一致',
      '依据须至少引用一部法律、法规或文件，并以《名称》标明，例如：【法律】《中华人民共和国社会保险法》第八十七条',
    ])
    expect(w.emitted('submit')).toBeUndefined()

    vm.form.item.code = '0247009000'
    vm.form.item.basis = '【法律】《中华人民共和国社会保险法》（2018年修正）第八十八条'
    await submit(w)
    expect(errors(w)).toEqual([])
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({
      op: 'add',
      reason: '依法增加',
      item: { name: '新事项', category: '行政处罚', code: '0247009000' },
    })
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

  it('prefills a 调整 from the chosen item as plain paragraphs', async () => {
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

    // Only what was edited is sent; the untouched cells keep their markup on the server.
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

  it('refuses an adjustment that changes nothing, or the category', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items, initialOp: 'modify' } })
    const vm = w.vm as unknown as { form: { item_id?: number; item: Record<string, string>; reason: string; basis: string } }
    vm.form.item_id = 11
    await settle()
    vm.form.reason = '无'
    vm.form.basis = '《某法》'
    await submit(w)
    expect(w.find('[data-testid="op-form-error"]').text()).toContain('调整没有改变任何字段')
    vm.form.item.category = '行政检查'
    await submit(w)
    expect(errors(w)[0]).toBe('改变权力类型请用“改为”操作')
    expect(w.emitted('submit')).toBeUndefined()
  })

  it('asks a 改为 for another category', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items, initialOp: 'recategorize' } })
    const vm = w.vm as unknown as { form: { item_id?: number; item: Record<string, string>; reason: string; basis: string } }
    vm.form.item_id = 12
    await settle()
    vm.form.item.category = '其他'
    vm.form.reason = '改为行政处罚'
    vm.form.basis = '【行政法规】《医疗保障基金使用监督管理条例》第三十八条'
    await submit(w)
    expect(errors(w)).toEqual(['改为的权力类型须与原类型“其他类”不同', '改为其他类别须给出新的基本编码（原编码 1047014000）'])

    vm.form.item.category = '行政处罚'
    vm.form.item.code = '0247014000'
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
