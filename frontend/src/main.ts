import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
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

// The server's fields and labels before the first page; the built-in copy if it cannot answer.
loadMeta()
  .catch(() => undefined)
  .finally(() => createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app'))
