// The domain as the server defines it (GET /api/v1/meta): item fields with
// their limits, layouts, power types with their code digits, and labels.
// meta.json is the server's answer at build time (the Go test TestMeta keeps
// it equal), so the first render and the component tests have it; loadMeta
// refreshes it from the running server. Its type is generated from Go.
import { get } from './api/client'
import type { Meta } from './api/server'
import initial from './meta.json'

export const meta: Meta = structuredClone(initial) as Meta

/** Updates meta in place from the server, so tables read elsewhere stay the same objects. */
export async function loadMeta(): Promise<void> {
  const fresh = await get<Meta>('/meta')
  for (const key of Object.keys(fresh) as (keyof Meta)[]) {
    const target = meta[key] as unknown
    if (Array.isArray(target)) target.splice(0, target.length, ...(fresh[key] as unknown[]))
    else if (target && typeof target === 'object') Object.assign(target, fresh[key])
    else (meta as unknown as Record<string, unknown>)[key] = fresh[key]
  }
}
