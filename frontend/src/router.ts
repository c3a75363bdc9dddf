import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { isAdministrator, loadMe, session } from './session'

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'lists', component: () => import('./views/ListsView.vue'), meta: { title: '清单目录' } },
  { path: '/lists/:id', name: 'list', component: () => import('./views/ListView.vue'), props: true, meta: { title: '清单' } },
  { path: '/lists/:id/compare', name: 'compare', component: () => import('./views/CompareView.vue'), props: true, meta: { title: '版本比较' } },
  { path: '/items/:id', name: 'item', component: () => import('./views/ItemView.vue'), props: true, meta: { title: '事项' } },
  { path: '/search', name: 'search', component: () => import('./views/SearchView.vue'), meta: { title: '全域检索' } },
  { path: '/stats', name: 'stats', component: () => import('./views/StatsView.vue'), meta: { title: '统计分析' } },
  { path: '/instruments', name: 'instruments', component: () => import('./views/InstrumentsView.vue'), meta: { title: '法规库' } },
  { path: '/instrument-changes/:id', name: 'instrument-change', component: () => import('./views/ChangeImpactView.vue'), props: true, meta: { auth: true, title: '法规变更影响' } },
  { path: '/basis-report', name: 'basis-report', component: () => import('./views/BasisReportView.vue'), meta: { auth: true, title: '依据体检报告' } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: '登录' } },
  { path: '/workbench', name: 'workbench', component: () => import('./views/WorkbenchView.vue'), meta: { auth: true, title: '工作台' } },
  { path: '/requests', name: 'requests', component: () => import('./views/RequestsView.vue'), meta: { auth: true, title: '修订申请' } },
  { path: '/queue/:state', name: 'queue', component: () => import('./views/RequestsView.vue'), props: true, meta: { auth: true, title: '待办' } },
  { path: '/requests/:id', name: 'request', component: () => import('./views/RequestView.vue'), props: true, meta: { auth: true, title: '修订申请' } },
  { path: '/supervision', name: 'supervision', component: () => import('./views/SupervisionView.vue'), meta: { auth: true, title: '督办' } },
  { path: '/messages', name: 'messages', component: () => import('./views/MessagesView.vue'), meta: { auth: true, title: '消息中心' } },
  { path: '/calendar', name: 'calendar', component: () => import('./views/CalendarView.vue'), meta: { auth: true, title: '节假日与办理时限' } },
  { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { auth: true, title: '修改密码' } },
  { path: '/admin/regions', name: 'admin-regions', component: () => import('./views/admin/RegionsView.vue'), meta: { auth: true, admin: true, title: '行政区划' } },
  { path: '/admin/agencies', name: 'admin-agencies', component: () => import('./views/admin/AgenciesView.vue'), meta: { auth: true, admin: true, title: '部门管理' } },
  { path: '/admin/users', name: 'admin-users', component: () => import('./views/admin/UsersView.vue'), meta: { auth: true, admin: true, title: '用户管理' } },
  { path: '/admin/process', name: 'admin-process', component: () => import('./views/admin/ProcessView.vue'), meta: { auth: true, admin: true, title: '流程设置' } },
  { path: '/admin/onboarding', name: 'admin-onboarding', component: () => import('./views/admin/OnboardingView.vue'), meta: { auth: true, admin: true, title: '批量导入' } },
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
  // A temporary password must be replaced before anything else (the server refuses the rest).
  if (session.user?.must_change_password && to.name !== 'password' && to.name !== 'login') return { name: 'password' }
  if (to.meta.admin && !isAdministrator(session.user)) return { name: 'lists' }
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? '清单'} · 清单`
})
