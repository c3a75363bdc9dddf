// The one way the UI talks to the server: JSON over fetch, the session cookie
// sent along, errors as ApiError carrying the server's {"error":{…}} body.

export class ApiError extends Error {
  status: number
  code: string
  details: unknown

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }
}

export type Query = Record<string, string | number | undefined | null>

let onUnauthorized: (() => void) | null = null

/** Registers what to do when a logged-in call answers 401 (session gone). */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn
}

export function apiURL(path: string, query?: Query): string {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v))
  }
  const s = qs.toString()
  return '/api/v1' + path + (s ? '?' + s : '')
}

export async function request<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: string | FormData | undefined
  if (opts.body instanceof FormData) {
    body = opts.body // multipart: the browser sets the boundary
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await fetch(apiURL(path, opts.query), { method, headers, body, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error
    const err = new ApiError(res.status, e?.code ?? 'http_' + res.status, e?.message ?? `服务器错误（${res.status}）`, e?.details)
    if (res.status === 401 && !path.startsWith('/auth/') && path !== '/me') onUnauthorized?.()
    throw err
  }
  return data as T
}

export const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query })
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} })
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body })
export const del = <T>(path: string) => request<T>('DELETE', path)
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body })

/** Sends a file as multipart/form-data (field "file", and fields beside it), answering like request. */
export async function upload<T>(path: string, query: Query, file: File, fields: Record<string, string> = {}): Promise<T> {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('file', file)
  let res: Response
  try {
    res = await fetch(apiURL(path, query), { method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json' } })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  const data = await res.json().catch(() => null)
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error
    throw new ApiError(res.status, e?.code ?? 'http_' + res.status, e?.message ?? `服务器错误（${res.status}）`, e?.details)
  }
  return data as T
}

/** The message to show for any error thrown by a call. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}

/**
 * fieldErrors picks the field a validation error names ({"details":{"field":
 * "item.code"}}) so a form can show the message beside that field. The server
 * starts such messages with the field's name ("item.code：…"); beside the
 * field the message goes without it.
 */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || !e.details || typeof e.details !== 'object') return {}
  const field = (e.details as { field?: unknown }).field
  if (typeof field !== 'string' || !field) return {}
  const m = e.message
  return { [field]: m.startsWith(field + '：') ? m.slice(field.length + 1) : m }
}
