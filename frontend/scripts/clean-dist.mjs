// Empties dist/ before a build but keeps dist/.gitkeep, which lets a fresh
// clone (without a frontend build) satisfy //go:embed all:dist. Vite's own
// emptyOutDir would delete it, so it is off in vite.config.ts.
import { readdirSync, rmSync } from 'node:fs'

const dist = new URL('../dist/', import.meta.url)
for (const name of readdirSync(dist)) {
  if (name !== '.gitkeep') rmSync(new URL(name, dist), { recursive: true, force: true })
}
