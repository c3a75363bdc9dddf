import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus per component: each route's chunk carries only the
    // components (and their CSS) its templates use, not the whole library.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ],
  build: {
    // 信创 desktops run older Chromium cores.
    target: 'chrome87',
    outDir: 'dist',
    emptyOutDir: false, // scripts/clean-dist.mjs empties it but keeps .gitkeep
    chunkSizeWarningLimit: 1500,
    // scripts/bundle-budget.mjs reads which chunks each route loads from it.
    manifest: true,
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
