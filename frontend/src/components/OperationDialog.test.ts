import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import OperationDialog from './OperationDialog.vue'
import OperationForm from './OperationForm.vue'
import type { Candidate, Operation } from '../api/types'
import { global, item } from './testing'

const items = [item({ id: 11, name: '对骗取医保基金的处罚', category: '行政处罚', code: '0247001000', content: '责令退回' })]

// Element Plus dialogs and forms mount slowly on a shared machine.
vi.setConfig({ testTimeout: 30000 })

const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 150))
  await flushPromises()
}
const errors = (w: ReturnType<typeof mount>) => w.findAll('.el-form-item__error').map((e) => e.text())

// Esc as the user presses it, with the focus in the dialog.
const pressEscape = () =>
  document.querySelector('.el-dialog')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }))

// Whether the dialog is on screen (the test mount stubs its transition).
const shown = () => (document.querySelector('.el-overlay') as HTMLElement | null)?.style.display !== 'none'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('validation timing', () => {
  it('shows no error on a field the user only passed through, until it was changed or save pressed', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items }, attachTo: document.body })
    // Tab through the required fields without typing: blur must not accuse anyone.
    for (const id of ['op-item-name', 'op-reason', 'op-basis']) {
      const el = w.find(`[data-testid="${id}"]`)
      await el.trigger('focus')
      await el.trigger('blur')
    }
    await settle()
    expect(errors(w)).toEqual([])

    // Typed, then emptied: now the field speaks.
    const vm = w.vm as unknown as { form: { reason: string }; dirty: boolean }
    vm.form.reason = '依法增加'
    await settle()
    expect(vm.dirty).toBe(true)
    vm.form.reason = ''
    await settle()
    await w.find('[data-testid="op-reason"]').trigger('blur')
    await settle()
    expect(errors(w)).toEqual(['请填写增加此事项的理由'])

    // Save names every missing field.
    await w.find('form').trigger('submit')
    await settle()
    expect(errors(w)).toEqual(['职权名称不能为空', '权力类型不能为空', '请填写增加此事项的理由', '请填写增加此事项的法律依据'])
  })
})

describe('editing an operation', () => {
  const op: Operation = {
    id: 7, number: 3, op: 'modify', op_name: '调整', item_id: 11, reason: '降低罚款', basis: '【行政法规】《医疗保障基金使用监督管理条例》第四十条', basis_citations: [], source: '', after_item_id: null,
    item: { ...item({ name: '对骗取医保基金的处罚', category: '行政处罚', code: '0247001000', content: '责令退回\n处一倍罚款' }) },
    preview: { item_id: 11, kind: 'modified', kind_name: '调整', before: null, after: { ...item({ note: '调整' }) }, changed: ['content'], fields: [], merged_from: [], split_into: [] },
    sources: [], parts: [], delegate_to: '', supervision: '', takeover_plan: '', created_at: '',
  }

  it('keeps the type and target, shows the 备注, and sends only what changed', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items, operation: op } })
    await settle()
    const vm = w.vm as unknown as { form: { op: string; item: Record<string, string>; reason: string } }
    expect(vm.form.item.content).toBe('责令退回\n处一倍罚款')
    expect(w.find('[data-testid="op-type"]').classes().join(' ') + w.find('[data-testid="op-type"]').html()).toContain('is-disabled')
    expect((w.find('[data-testid="op-item-note"]').element as HTMLTextAreaElement).placeholder).toContain('调整')
    expect(w.find('[data-testid="op-submit"]').text()).toBe('保存修改')

    vm.form.item.content = '责令退回\n处二倍罚款'
    vm.form.item.note = '调整（罚款倍数）'
    await w.find('form').trigger('submit')
    await settle()
    expect(w.emitted('submit')).toBeUndefined()
    expect(w.emitted('save')?.[0]?.[0]).toEqual({ item: { content: '责令退回\n处二倍罚款', note: '调整（罚款倍数）' } })
  })

  it('says so when nothing was changed', async () => {
    const w = mount(OperationForm, { global, props: { kind: 'power', items, operation: op } })
    await w.find('form').trigger('submit')
    await settle()
    expect(w.find('[data-testid="op-form-error"]').text()).toContain('没有修改任何内容')
    expect(w.emitted('save')).toBeUndefined()
  })
})

describe('列入 picker', () => {
  it('fills the fields from an item of another list, keeping its code and naming its source', async () => {
    const found: Candidate[] = [{
      ...item({ id: 90, name: '医疗保险稽核', category: '行政检查', code: '0647003000', basis: '【部门规章】《社会保险稽核办法》第三条', content: '稽核' }),
      list: { id: 1, title: '红寺堡区医疗保障局权力清单', kind: 'power', agency: { id: 1, name: '红寺堡区医疗保障局' }, region: { code: '640303', name: '红寺堡区' }, version: 2, item_count: 23 },
    }]
    const asked: string[] = []
    const w = mount(OperationForm, {
      global,
      props: { kind: 'power', items, initialOp: 'include', findCandidates: async (q: string) => (asked.push(q), found) },
    })
    const vm = w.vm as unknown as { form: { item: Record<string, string>; source: string } }
    const picker = w.findComponent({ name: 'ElSelect' })
    await (picker.props('remoteMethod') as (q: string) => Promise<void>)('稽核')
    await settle()
    picker.vm.$emit('update:modelValue', 90)
    await settle()
    expect(asked).toEqual(['稽核'])
    expect(vm.form.item.name).toBe('医疗保险稽核')
    expect(vm.form.item.code).toBe('0647003000')
    expect(vm.form.item.basis).toBe('【部门规章】《社会保险稽核办法》第三条')
    expect(vm.form.source).toContain('红寺堡区医疗保障局权力清单')
  })
})

describe('OperationDialog', () => {
  it('asks before a click outside or Esc drops what was typed, and keeps it when told to', async () => {
    const w = mount(OperationDialog, { global, props: { modelValue: true, kind: 'power', items }, attachTo: document.body })
    await settle()
    const form = w.findComponent(OperationForm)
    ;(form.vm as unknown as { form: { reason: string } }).form.reason = '已经写了半天的理由'
    await settle()
    pressEscape()
    await settle()
    const box = document.querySelector('.el-message-box')
    expect(box?.textContent).toContain('尚未保存')
    ;(document.querySelector('.el-message-box__btns .el-button:not(.el-button--primary)') as HTMLElement).click() // 继续填写
    await settle()
    expect(shown()).toBe(true)
    expect((form.vm as unknown as { form: { reason: string } }).form.reason).toBe('已经写了半天的理由')
    w.unmount()
  })

  it('closes at once (×) when nothing was typed', async () => {
    const w = mount(OperationDialog, { global, props: { modelValue: true, kind: 'power', items }, attachTo: document.body })
    await settle()
    ;(document.querySelector('.el-dialog__headerbtn') as HTMLElement).click()
    await settle()
    expect(document.querySelector('.el-message-box')).toBeNull()
    expect(shown()).toBe(false)
    w.unmount()
  })
})
