// Vite empties dist/ before a build; dist/.gitkeep must survive so that a
// fresh clone (without a frontend build) still satisfies //go:embed all:dist.
import { writeFileSync } from 'node:fs'
writeFileSync(new URL('../dist/.gitkeep', import.meta.url), '')
