import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import AttachmentList from './AttachmentList.vue'
import type { AttachmentsPage } from '../api/types'
import { global } from './testing'

const sha = 'ab12cd34ef56' + '0'.repeat(52)

function page(p: Partial<AttachmentsPage>): AttachmentsPage {
  return {
    attachments: [{
      id: 7, name: '关于调整权责清单的批复.pdf', kind: 'approval', kind_name: '批复', content_type: 'application/pdf', size: 1536 * 1024,
      sha256: sha, uploaded_by: 1, uploader: '红寺堡区医疗保障局 经办人', created_at: '2026-03-02T01:30:00Z', url: '/api/v1/change-requests/3/attachments/7',
      may_delete: true,
    }],
    may_add: true,
    kind: 'basis',
    kinds: [{ value: 'approval', label: '批复' }, { value: 'minutes', label: '会议纪要' }, { value: 'basis', label: '调整依据' }, { value: 'opinion', label: '审查意见书' }, { value: 'other', label: '其他' }],
    types: [{ mime: 'application/pdf', label: 'PDF', extensions: ['.pdf'] }, { mime: 'image/png', label: 'PNG 图片', extensions: ['.png'] }],
    max_bytes: 20 << 20,
    max_count: 20,
    ...p,
  }
}

/** Answers GET with the page and records every call. */
function serve(p: AttachmentsPage, answers: Record<string, { status: number; body: unknown }> = {}) {
  const calls: { method: string; url: string; body?: BodyInit | null }[] = []
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    calls.push({ method, url, body: init?.body })
    const a = answers[method] ?? { status: 200, body: p }
    return new Response(a.status === 204 ? null : JSON.stringify(a.body), { status: a.status, headers: { 'Content-Type': 'application/json' } })
  }))
  return calls
}

afterEach(() => vi.unstubAllGlobals())

describe('AttachmentList', () => {
  it('lists each file with its kind, size, short hash, uploader and a download link', async () => {
    serve(page({}))
    const w = mount(AttachmentList, { global, props: { requestId: 3, state: 'draft' } })
    await flushPromises()
    expect(w.text()).toContain('附件（1）')
    const link = w.get('[data-testid="attachment-link"]')
    expect(link.text()).toBe('关于调整权责清单的批复.pdf')
    expect(link.attributes('href')).toBe('/api/v1/change-requests/3/attachments/7')
    expect(link.attributes('download')).toBeDefined()
    expect(w.text()).toContain('批复')
    expect(w.text()).toContain('1.5 MB')
    const hash = w.get('[data-testid="attachment-sha"]')
    expect(hash.text()).toBe('ab12cd34ef56')
    expect(hash.attributes('title')).toContain(sha)
    expect(w.text()).toContain('红寺堡区医疗保障局 经办人')
    expect(w.get('[data-testid="attachment-hint"]').text()).toBe('可上传 PDF、PNG 图片，每个不超过 20 MB，最多 20 个')
  })

  it('offers upload and delete only when the server says the user may', async () => {
    const drafted = page({}).attachments[0]
    serve(page({ may_add: false, attachments: [{ ...drafted, may_delete: false }] }))
    const w = mount(AttachmentList, { global, props: { requestId: 3, state: 'legal_review' } })
    await flushPromises()
    expect(w.find('[data-testid="attachment-upload"]').exists()).toBe(false)
    expect(w.find('[data-testid="delete-attachment-7"]').exists()).toBe(false)
    expect(w.find('[data-testid="attachment-link"]').exists()).toBe(true)
  })

  it('lets a reviewer add their 审查意见书 and delete only their own file', async () => {
    const drafted = { ...page({}).attachments[0], may_delete: false }
    const own = { ...drafted, id: 8, name: '合法性审查意见书.pdf', kind: 'opinion', kind_name: '审查意见书', may_delete: true, url: '/api/v1/change-requests/3/attachments/8' }
    serve(page({ kind: 'opinion', attachments: [drafted, own] }))
    const w = mount(AttachmentList, { global, props: { requestId: 3, state: 'legal_review' } })
    await flushPromises()
    expect(w.find('[data-testid="attachment-upload"]').exists()).toBe(true)
    expect(w.get('[data-testid="attachment-kind"]').text()).toContain('审查意见书')
    expect(w.find('[data-testid="delete-attachment-7"]').exists()).toBe(false)
    expect(w.find('[data-testid="delete-attachment-8"]').exists()).toBe(true)
  })

  it('uploads the chosen file with its kind and shows the server’s refusal', async () => {
    const calls = serve(page({ attachments: [] }), {
      POST: { status: 400, body: { error: { code: 'invalid', message: 'file：只能上传 PDF、PNG 图片；这个文件实际是网页（HTML）', details: { field: 'file' } } } },
    })
    const w = mount(AttachmentList, { global, props: { requestId: 3, state: 'draft' } })
    await flushPromises()
    expect(w.text()).toContain('暂无附件')
    const input = w.get('[data-testid="attachment-upload"] input[type="file"]')
    expect(input.attributes('accept')).toBe('.pdf,.png')
    const file = new File(['<html>'], '批复.pdf', { type: 'application/pdf' })
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await flushPromises()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe('/api/v1/change-requests/3/attachments')
    const form = post.body as FormData
    expect((form.get('file') as File).name).toBe('批复.pdf')
    expect(form.get('kind')).toBe('basis') // the server's first choice for this user
    expect(w.get('[data-testid="attachment-error"]').text()).toBe('只能上传 PDF、PNG 图片；这个文件实际是网页（HTML）')
  })

  it('reloads when the request changes state', async () => {
    const calls = serve(page({}))
    const w = mount(AttachmentList, { global, props: { requestId: 3, state: 'draft' } })
    await flushPromises()
    await w.setProps({ state: 'legal_review' })
    await flushPromises()
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2)
  })
})
