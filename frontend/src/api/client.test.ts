import { describe, expect, it } from 'vitest'
import { ApiError, apiURL, fieldErrors } from './client'

describe('fieldErrors', () => {
  it('puts the message beside the field the server names, without its prefix', () => {
    const e = new ApiError(400, 'invalid', 'item.code：基本编码 0247001000 已被事项“甲”使用', { field: 'item.code' })
    expect(fieldErrors(e)).toEqual({ 'item.code': '基本编码 0247001000 已被事项“甲”使用' })
  })

  it('names no field for other errors', () => {
    expect(fieldErrors(new ApiError(409, 'conflict', '当前状态下不能执行', { allowed_events: ['publish'] }))).toEqual({})
    expect(fieldErrors(new Error('x'))).toEqual({})
  })
})

describe('apiURL', () => {
  it('leaves out empty parameters and encodes the rest', () => {
    expect(apiURL('/lists/1/items', { version: 2, q: '稽核 & 检查', category: '', at: undefined })).toBe(
      '/api/v1/lists/1/items?version=2&q=%E7%A8%BD%E6%A0%B8+%26+%E6%A3%80%E6%9F%A5',
    )
  })
})
