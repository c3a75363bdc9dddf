import type { LocationQuery } from 'vue-router'

/** The page's query with patch applied; empty values drop the parameter. */
export function patchQuery(query: LocationQuery, patch: Record<string, string | number | undefined>): Record<string, string> {
  const next: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...query, ...patch })) {
    if (v !== undefined && v !== '' && v !== null) next[k] = String(v)
  }
  return next
}
