// Mount options for component tests: Element Plus as the app installs it.
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'

export const global = {
  plugins: [[ElementPlus, { locale: zhCn }]] as [typeof ElementPlus, { locale: typeof zhCn }][],
  stubs: { 'router-link': { template: '<a><slot /></a>' } },
}

// async-validator logs every failed rule to the console; the tests read the messages from the DOM.
;(globalThis as { ASYNC_VALIDATOR_NO_WARNING?: number }).ASYNC_VALIDATOR_NO_WARNING = 1
