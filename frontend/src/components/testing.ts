// Mount options for component tests: Element Plus as the app installs it.
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import type { Item } from '../api/types'

export const global = {
  plugins: [[ElementPlus, { locale: zhCn }]] as [typeof ElementPlus, { locale: typeof zhCn }][],
  stubs: { 'router-link': { template: '<a><slot /></a>' } },
}

// async-validator logs every failed rule to the console; the tests read the messages from the DOM.
;(globalThis as { ASYNC_VALIDATOR_NO_WARNING?: number }).ASYNC_VALIDATOR_NO_WARNING = 1

/** An item with every field the server sends, empty but for those given. */
export const item = (over: Partial<Item>): Item => ({
  id: 1, seq: 1, code: '', name: '', subitem: '', category: '', department: '', basis: '', citations: [], level: '',
  content: '', duty: '', responsibility: '', responsibility_basis: '', accountable: '', accountability: '', note: '', ...over,
})
