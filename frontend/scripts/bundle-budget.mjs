// Checks the JavaScript budget of the public pages: the gzipped size of every
// JS chunk a route loads (the entry, the route's own chunk and everything
// either imports statically), read from Vite's build manifest. Exits 1 when a
// route is over its budget, so `make test` fails. Run after `vite build`.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const dist = new URL('../dist/', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'))

// Budgets in bytes (1 KB = 1,000 bytes) of gzipped JavaScript per route component.
const budgets = {
  'src/views/ListView.vue': 250_000, // the public list page (issue 15)
  'src/views/ListsView.vue': 250_000,
  'src/views/SearchView.vue': 250_000,
  'src/views/ItemView.vue': 250_000,
}

function chunksOf(key, seen = new Set()) {
  if (seen.has(key)) return seen
  const chunk = manifest[key]
  if (!chunk) throw new Error(`bundle budget: ${key} is not in the build manifest`)
  seen.add(key)
  for (const dep of chunk.imports ?? []) chunksOf(dep, seen)
  return seen
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)
let over = false
for (const [route, budget] of Object.entries(budgets)) {
  const keys = new Set([...chunksOf(entry), ...chunksOf(route)])
  let total = 0
  for (const k of keys) total += gzipSync(readFileSync(new URL(manifest[k].file, dist)), { level: 9 }).length
  const ok = total <= budget
  over ||= !ok
  console.log(`${ok ? 'ok  ' : 'OVER'} ${route}: ${(total / 1000).toFixed(1)} KB gzipped JS in ${keys.size} chunks (budget ${budget / 1000} KB)`)
}
if (over) {
  console.error('bundle budget exceeded: import less on these routes (per-component imports, lazy routes)')
  process.exit(1)
}
