import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  build: {
    // 信创 desktops run older Chromium cores.
    target: 'chrome87',
    outDir: 'dist',
    emptyOutDir: false, // scripts/clean-dist.mjs empties it but keeps .gitkeep
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    css: false,
    // Element Plus's ES build imports async-validator, whose Node entry is
    // CommonJS: Node's own loader would hand the form a module object instead
    // of the validator class, so Element Plus goes through Vite's interop.
    server: { deps: { inline: ['element-plus'] } },
  },
})
