import { createApp } from 'vue'
import './styles/app.css'
import App from './App.vue'
import { router } from './router'
import { setUnauthorizedHandler } from './api/client'
import { sessionEnded } from './session'
import { loadMeta } from './meta'

setUnauthorizedHandler(() => {
  sessionEnded()
  const here = router.currentRoute.value
  if (here.meta.auth) router.replace({ name: 'login', query: { redirect: here.fullPath } })
})

// Element Plus comes per component (vite.config.ts); its zh-CN locale is set
// by the el-config-provider around the app (App.vue). The server's fields and
// labels load before the first page; the built-in copy if it cannot answer.
loadMeta()
  .catch(() => undefined)
  .finally(() => createApp(App).use(router).mount('#app'))
