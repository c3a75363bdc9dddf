import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { loadMe, session } from './session'

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'lists', component: () => import('./views/ListsView.vue'), meta: { title: '清单目录' } },
  { path: '/lists/:id', name: 'list', component: () => import('./views/ListView.vue'), props: true, meta: { title: '清单' } },
  { path: '/lists/:id/compare', name: 'compare', component: () => import('./views/CompareView.vue'), props: true, meta: { title: '版本比较' } },
  { path: '/items/:id', name: 'item', component: () => import('./views/ItemView.vue'), props: true, meta: { title: '事项' } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: '登录' } },
  { path: '/requests', name: 'requests', component: () => import('./views/RequestsView.vue'), meta: { auth: true, title: '修订申请' } },
  { path: '/queue/:state', name: 'queue', component: () => import('./views/RequestsView.vue'), props: true, meta: { auth: true, title: '待办' } },
  { path: '/requests/:id', name: 'request', component: () => import('./views/RequestView.vue'), props: true, meta: { auth: true, title: '修订申请' } },
  { path: '/import', name: 'import', component: () => import('./views/ImportView.vue'), meta: { auth: true, title: '导入清单' } },
  { path: '/:rest(.*)*', name: 'notfound', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach(async (to) => {
  if (!session.loaded) await loadMe().catch(() => null)
  if (to.meta.auth && !session.user) return { name: 'login', query: { redirect: to.fullPath } }
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? '清单'} · 清单`
})
