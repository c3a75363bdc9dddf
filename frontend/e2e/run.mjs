// End-to-end test of the web UI: starts the given qingdan binary on a fresh
// SQLite database with the demo accounts, drives Debian's chromium through
// playwright-core, and takes change requests of every operation type from
// draft to published through the browser alone, as the three roles would.
//
//   node e2e/run.mjs ../bin/qingdan
//
// Screenshots of the main pages go to artifacts/screenshots/ at the repo root.
// The last line reads "N passed, M failed"; any failure exits non-zero.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const shots = join(repo, 'artifacts/screenshots')
const password = 'demo12345'
const xss = '<img src=x onerror=alert(1)>'
const started = Date.now()

if (!process.argv[2]) {
  console.error('usage: node e2e/run.mjs <path of the qingdan binary>')
  process.exit(2)
}
const binary = resolve(process.cwd(), process.argv[2])

// ---- the server ---------------------------------------------------------

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

const tmp = mkdtempSync(join(tmpdir(), 'qingdan-e2e-'))
const port = await freePort()
const base = `http://127.0.0.1:${port}`
const logFile = join(tmp, 'server.log')
const log = openSync(logFile, 'w')
const server = spawn(binary, ['serve', '--demo', '--addr', `127.0.0.1:${port}`], {
  cwd: repo, // seeds/ is found from here
  env: { ...process.env, DATABASE_URL: `sqlite://${join(tmp, 'e2e.db')}` },
  stdio: ['ignore', log, log],
})
let serverExit = null
server.on('exit', (code, signal) => (serverExit = signal ?? code))

async function waitHealthy() {
  for (let i = 0; i < 150; i++) {
    if (serverExit !== null) throw new Error(`server exited (${serverExit})`)
    try {
      const r = await fetch(base + '/healthz')
      if (r.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('server did not answer /healthz within 30 s')
}

// ---- a tiny runner ------------------------------------------------------

const steps = []
const step = (name, fn) => steps.push({ name, fn })
let passed = 0
let failed = 0

function check(cond, message) {
  if (!cond) throw new Error(message)
}

// ---- browser helpers ----------------------------------------------------

let page
const dialogs = [] // window.alert and friends: the XSS check expects none

const tid = (id) => `[data-testid="${id}"]`

async function shot(name) {
  await page.waitForLoadState('networkidle').catch(() => null)
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false })
}

// fill types into an Element Plus input or textarea by its data-testid
// (el-input puts the attribute on the native control).
async function fill(id, value) {
  const el = page.locator(tid(id)).first()
  await el.fill(value)
}

// choose picks an option of an Element Plus select by its label (exactly,
// or containing it); a filterable select is first narrowed by typing. The
// options are found through the input's aria-controls, not by visibility:
// the dropdown of a closing dialog may still be fading out.
async function choose(id, label, { type, contains } = {}) {
  const sel = page.locator(tid(id)).first()
  await sel.click()
  const input = sel.locator('input[aria-controls]').first()
  if (type) await input.fill(type)
  const list = page.locator('#' + (await input.getAttribute('aria-controls')))
  const exact = new RegExp('^\\s*' + label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*$')
  const option = list.locator('.el-select-dropdown__item').filter({ hasText: type || contains ? label : exact }).first()
  // On a loaded machine a click can land while the dropdown is still opening
  // and be lost; the dropdown then stays open. Click again rather than wait forever.
  for (let attempt = 1; ; attempt++) {
    await option.click()
    try {
      await list.waitFor({ state: 'hidden', timeout: 5000 })
      return
    } catch (err) {
      if (attempt === 3) throw err
    }
  }
}

async function confirmBox() {
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

async function login(username) {
  await page.goto(base + '/login')
  await fill('login-username', username)
  await fill('login-password', password)
  await page.press(tid('login-password'), 'Enter') // Enter submits
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.locator(tid('current-user')).waitFor()
}

async function logout() {
  await page.click(tid('logout'))
  await page.locator(tid('login-link')).waitFor()
}

async function expectState(state) {
  await page.locator(`${tid('request-state')}[data-state="${state}"]`).waitFor({ timeout: 10000 })
}

async function openRequest(id) {
  await page.goto(`${base}/requests/${id}`)
  await page.locator(tid('request-title')).waitFor()
}

// createRequest makes a draft through the 新建修订申请 dialog and returns its id.
async function createRequest(listTitle, title, reason) {
  await page.goto(base + '/requests')
  await page.click(tid('new-request'))
  await choose('create-list', listTitle, { contains: true })
  await fill('create-reason', reason)
  await fill('create-title', title)
  await page.press(tid('create-title'), 'Enter') // Enter submits the form
  await page.waitForURL(/\/requests\/\d+$/)
  await expectState('draft')
  return Number(new URL(page.url()).pathname.split('/').pop())
}

// addOperation fills the operation dialog like a clerk would.
async function addOperation(op) {
  await page.click(tid('add-operation'))
  const form = page.locator(tid('op-form'))
  await form.waitFor()
  await page.click(tid('op-' + op.op))
  if (op.target) await choose('op-target', op.target, { type: op.target })
  if (op.source) await fill('op-source', op.source)
  if (op.delegate_to) await fill('op-delegate-to', op.delegate_to)
  for (const [f, v] of Object.entries(op.item ?? {})) {
    if (f === 'category') await choose('op-category', v)
    else if (f === 'code') await fill('op-code', v)
    else await fill('op-item-' + f, v)
  }
  if (op.position) await choose('op-position', op.position, { contains: true })
  // The materials a 取消, 下放 or 列入 needs before submission (meta.op_types).
  if (op.supervision) await fill('op-supervision', op.supervision)
  if (op.takeover_plan) await fill('op-takeover-plan', op.takeover_plan)
  await fill('op-reason', op.reason)
  await fill('op-basis', op.basis)
  if (op.shot) await shot(op.shot)
  await page.click(tid('op-submit'))
  await form.waitFor({ state: 'detached', timeout: 10000 })
}

async function fire(action, opinion) {
  if (opinion !== undefined) await fill('opinion', opinion)
  await page.click(tid('action-' + action))
  if (action === 'submit') await confirmBox() // 提交 asks first, showing the legal-basis findings
}

async function requestIdByTitle(title) {
  const link = page.locator('[data-testid^="request-link-"]', { hasText: title }).first()
  await link.waitFor()
  return Number((await link.getAttribute('data-testid')).replace('request-link-', ''))
}

async function api(path) {
  const r = await fetch(base + '/api/v1' + path)
  check(r.ok, `GET ${path} answered ${r.status}`)
  return r.json()
}

// ---- the scenario -------------------------------------------------------

const HSB = '红寺堡区医疗保障局权力清单'
const YT = '于田县医疗保障局权责清单目录'
const ids = {}

step('public: the catalogue shows both seed lists by region', async () => {
  await page.goto(base + '/')
  await page.locator(tid('region-640303')).waitFor()
  check(await page.locator(tid('region-653226')).isVisible(), '于田县 missing')
  check((await page.locator(tid('list-link-1')).innerText()) === HSB, 'list 1 title')
  await shot('01-public-lists')
})

step('public: a list by 权力类型, with filter, search, pages and readable citations', async () => {
  await page.click(tid('list-link-1'))
  await page.locator(tid('section-行政处罚')).waitFor()
  check((await page.locator(tid('shown-version')).innerText()).includes('第 1 版'), 'version 1 shown')
  await shot('02-public-list')
  await page.click(tid('category-行政检查'))
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="section-"]').length === 1)
  check(await page.locator(tid('section-行政检查')).isVisible(), 'filter keeps 行政检查')
  await page.click(tid('category-all'))
  await fill('item-search', '稽核')
  await page.press(tid('item-search'), 'Enter')
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="item-name"]').length === 1)
  await page.click(tid('item-name'))
  const drawer = page.locator('.el-drawer:visible')
  await drawer.locator(tid('citations')).waitFor()
  check((await drawer.locator('.citation-level').count()) > 0, 'citations carry level tags')
  check(!(await drawer.innerText()).includes('<p>'), 'no markup shown')
  await page.waitForTimeout(400) // the drawer slides in
  await shot('03-public-item-drawer')
  await drawer.locator('.el-drawer__close-btn').click()
  // The Yutian list (19 items) and paging of a long table: 10 per section at most on a 20-item page.
  await page.goto(base + '/lists/2')
  await page.locator(tid('section-行政检查')).waitFor()
  check((await page.locator(tid('item-name')).count()) === 19, 'Yutian shows 19 items on one page')
})

step('login: a wrong password shows the server message under the form', async () => {
  await page.goto(base + '/login')
  await fill('login-username', 'hsb-ybj')
  await fill('login-password', 'wrong-password')
  await page.click(tid('login-submit'))
  const err = page.locator(tid('login-error'))
  await err.waitFor()
  check((await err.innerText()).includes('用户名或密码错误'), 'server message shown')
})

step('submitter: drafts a request with all five operation types, checked as the server checks', async () => {
  await login('hsb-ybj')
  ids.r1 = await createRequest(HSB, '依据《医疗保障基金使用监督管理条例》调整权力事项', '《医疗保障基金使用监督管理条例》施行后，对本局权力清单作相应调整。')
  // The server refuses a code whose type digits contradict the category; its message shows at the field.
  await page.click(tid('add-operation'))
  await page.locator(tid('op-form')).waitFor()
  await fill('op-item-name', '对定点医药机构违反服务协议行为的处理')
  await choose('op-category', '行政处罚')
  await fill('op-code', '0647010000')
  await fill('op-item-basis', '【行政法规】《医疗保障基金使用监督管理条例》（2021年）第三十八条')
  await fill('op-reason', '条例新增的处罚事项')
  await fill('op-basis', '【行政法规】《医疗保障基金使用监督管理条例》（2021年）第三十八条')
  await page.click(tid('op-submit'))
  const codeErr = page.locator('.el-form-item.is-error .el-form-item__error', { hasText: '类型位“06”' })
  await codeErr.waitFor()
  await shot('04-operation-form-errors')
  await page.keyboard.press('Escape')
  await confirmBox() // typed input is not dropped without asking: 放弃并关闭
  await page.locator(tid('op-form')).waitFor({ state: 'detached' })

  await addOperation({
    op: 'add',
    item: {
      name: '对定点医药机构违反服务协议行为的处理',
      category: '行政处罚',
      code: '0247010000',
      department: '医疗保障行政部门',
      basis: '【行政法规】《医疗保障基金使用监督管理条例》（2021年）\n第三十八条 定点医药机构有下列情形之一的，由医疗保障行政部门责令改正。',
      level: '县级',
      content: '对定点医药机构违反服务协议的行为依法处理。',
    },
    reason: '条例新增的处罚事项',
    basis: '【行政法规】《医疗保障基金使用监督管理条例》（2021年）第三十八条',
  })
  await addOperation({
    op: 'add',
    item: { name: xss, category: '其他类', basis: '【法律】《中华人民共和国社会保险法》（2018年修正）第八十七条' },
    reason: '名称含有标记的事项只能作为文字显示',
    basis: '【法律】《中华人民共和国社会保险法》（2018年修正）第八十七条',
  })
  await addOperation({
    op: 'include',
    source: '自治区医疗保障行政执法事项指导目录',
    item: { name: '医疗保障基金使用监督检查', category: '行政检查', code: '0647011000', basis: '【行政法规】《医疗保障基金使用监督管理条例》第二十二条' },
    reason: '列入自治区目录中的检查事项',
    basis: '【规章】《社会保险费征缴暂行条例》第十条',
    takeover_plan: '由基金监管股承接，明确两名执法人员，一个月内完成培训',
  })
  await addOperation({
    op: 'modify',
    target: '对定点医疗、医药机构违法违规操作',
    item: { content: '负责本区域对定点医疗、医药机构违法违规行为的处罚，依法追回医保基金损失。' },
    reason: '明确行使内容',
    basis: '【行政法规】《医疗保障基金使用监督管理条例》第三十八条',
  })
  await addOperation({
    op: 'recategorize',
    target: '建立医疗卫生机构、人员等信用记录制度',
    item: { category: '行政检查', code: '0647010000' },
    reason: '信用记录的监督属于行政检查',
    basis: '【行政法规】《医疗保障基金使用监督管理条例》第三十三条',
  })
  await addOperation({
    op: 'remove',
    target: '对药品、医用耗材价格进行监测和成本调查',
    reason: '职责已划转',
    basis: '【规范性文件】《关于印发〈自治区医疗保障局职能配置内设机构和人员编制规定〉的通知》（宁党办〔2018〕134号）',
    supervision: '职责划转后由自治区医疗保障局依法监管，本局配合开展日常检查',
  })
  for (const op of ['add', 'include', 'modify', 'recategorize', 'remove']) {
    check((await page.locator(tid('operation-' + op)).count()) >= 1, `operation ${op} listed`)
  }
  // Each operation shows its redline: the modified content has insertions.
  check((await page.locator(`${tid('operation-modify')} ${tid('redline-ins')}`).count()) > 0, 'modify redline')
  check((await page.locator(`${tid('operation-remove')} ${tid('redline-del')}`).count()) > 0, 'remove redline')
  await shot('05-request-draft')
})

step('submitter: a second draft on the same list, to rebase later', async () => {
  ids.r4 = await createRequest(HSB, '调整骗取社会保险基金支出的处罚内容', '配合基金监管专项行动。')
  await addOperation({
    op: 'modify',
    target: '以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出',
    item: { level: '区级' },
    reason: '行使层级表述统一',
    basis: '【法律】《中华人民共和国社会保险法》（2018年修正）第八十七条',
  })
})

step('submitter: submits; the menu badge counts what waits', async () => {
  await openRequest(ids.r1)
  await fire('submit')
  await expectState('legal_review')
  await page.goto(base + '/requests')
  await page.locator(tid('requests-table')).waitFor()
  // A draft waits for nobody: the badge counts only what waits for the user's action.
  check((await page.locator(tid('menu-workbench-badge')).count()) === 0, 'no badge for drafts')
  await shot('06-my-requests')
  await logout()
})

step('司法局: queue, findings on the legal basis, 退回 needs an opinion, 通过', async () => {
  await login('hsb-sfj')
  check((await page.locator(`${tid('menu-workbench-badge')} .el-badge__content`).innerText()).trim() === '1', 'review badge 1')
  await page.click(tid('menu-review'))
  await page.locator(tid('request-link-' + ids.r1)).click()
  await expectState('legal_review')
  const finding = page.locator(tid('finding-message'), { hasText: '社会保险费征缴暂行条例' }).first()
  await finding.waitFor()
  check((await page.locator(tid('redline-ins')).count()) > 0, 'redlines shown to the reviewer')
  await fire('return', '')
  await page.locator(tid('opinion-error')).waitFor()
  await shot('07-review')
  await fire('pass', '经审查，调整事项的法律依据充分。')
  await expectState('approval')
  await logout()
})

step('人民政府: 审定通过, then 公布 after a confirmation', async () => {
  await login('hsb-gov')
  await page.click(tid('menu-approval'))
  await page.locator(tid('request-link-' + ids.r1)).click()
  await fire('approve', '同意。')
  await expectState('approved')
  await page.click(tid('action-publish'))
  await confirmBox()
  await expectState('published')
  check((await page.locator(tid('published-version')).innerText()).includes('第 2 版'), 'published as version 2')
  check((await page.locator(tid('timeline')).innerText()).includes('经审查，调整事项的法律依据充分。'), 'opinion in the timeline')
  await shot('08-published-request')
  await logout()
})

step('public: version 2 is current and holds every change', async () => {
  const names = async (category) => {
    await page.goto(`${base}/lists/1?category=${encodeURIComponent(category)}`)
    await page.locator(tid('section-' + category)).waitFor()
    return page.locator(tid('item-name')).allInnerTexts()
  }
  check((await names('行政处罚')).includes('对定点医药机构违反服务协议行为的处理'), 'added item listed')
  check((await page.locator(tid('shown-version')).innerText()).includes('第 2 版（现行）'), 'version 2 current')
  const inspections = await names('行政检查')
  check(inspections.includes('医疗保障基金使用监督检查'), 'included item listed')
  check(!inspections.includes('对药品、医用耗材价格进行监测和成本调查'), 'removed item gone')
  check(inspections.some((n) => n.startsWith('建立医疗卫生机构、人员等信用记录制度')), 'recategorized into 行政检查')
  // 25 items: one page by default, with a page-size selector.
  await page.goto(base + '/lists/1')
  await page.locator(tid('items-pager')).waitFor()
  // Version 1 stays readable.
  await page.goto(`${base}/lists/1?version=1&category=${encodeURIComponent('其他类')}`)
  await page.locator(tid('section-其他类')).waitFor()
  check((await page.locator(tid('item-name')).count()) === 3, 'version 1 had three 其他类 items')
  check((await page.locator(tid('shown-version')).innerText()).includes('历史版本'), 'version 1 is history')
})

step('public: versions and the redline comparison of versions 1 and 2', async () => {
  await page.goto(base + '/lists/1?tab=versions')
  await page.locator(tid('versions-table')).waitFor()
  await shot('09-versions')
  await page.click(tid('compare-prev-2'))
  await page.locator(tid('diff-view')).waitFor()
  for (const kind of ['added', 'modified', 'recategorized', 'removed']) {
    check((await page.locator(tid('change-' + kind)).count()) >= 1, `comparison shows ${kind}`)
  }
  check((await page.locator(tid('redline-del')).count()) > 0 && (await page.locator(tid('redline-ins')).count()) > 0, 'redline marks')
  const html = await page.locator(tid('comparison-html')).getAttribute('href')
  const r = await fetch(base + html)
  check(r.ok && (r.headers.get('content-type') ?? '').includes('text/html'), '修订对照表 HTML downloads')
  await shot('10-compare')
  await page.emulateMedia({ media: 'print' })
  check(!(await page.locator('.app-header').isVisible()), 'print hides the header')
  await shot('10-compare-print')
  await page.emulateMedia({ media: 'screen' })
  await page.goto(base + '/lists/1?tab=downloads')
  for (const format of ['xlsx', 'csv']) {
    const href = await page.locator(tid('download-' + format)).getAttribute('href')
    check(href.includes('version=2'), `${format} link names the version`)
    const d = await fetch(base + href)
    check(d.ok, `${format} export answers ${d.status}`)
  }
})

step('safety: an item named like markup shows as text and runs nothing', async () => {
  await page.goto(base + '/lists/1?q=img')
  const name = page.locator(tid('item-name')).filter({ hasText: xss })
  await name.waitFor()
  check((await name.innerText()) === xss, 'literal name visible')
  await name.click()
  await page.locator(tid('item-page-link')).click()
  await page.locator(tid('item-title')).waitFor()
  check((await page.locator(tid('item-title')).innerText()) === xss, 'item page title is the literal name')
  await page.goto(`${base}/lists/1/compare?from=1&to=2`)
  const change = page.locator(tid('change-title')).filter({ hasText: xss })
  await change.waitFor()
  await change.scrollIntoViewIfNeeded()
  check((await page.locator('img[src="x"]').count()) === 0, 'no img element created')
  check(dialogs.length === 0, 'no dialog fired: ' + dialogs.join(', '))
  await shot('11-xss-as-text')
})

step('public: an item timeline names the request, but not the review opinions', async () => {
  const items = (await api('/lists/1/items?q=' + encodeURIComponent('对定点医疗、医药机构违法违规操作'))).items
  await page.goto(`${base}/items/${items[0].id}`)
  await page.locator(tid('history-modify')).waitFor()
  const text = await page.locator(tid('item-history')).innerText()
  check(text.includes('依据《医疗保障基金使用监督管理条例》调整权力事项') && !text.includes('经审查，调整事项的法律依据充分。'), 'request, and no opinion, in the timeline')
  await shot('12-item-timeline')
})

step('submitter: rebases the older draft onto version 2 and submits it', async () => {
  await login('hsb-ybj')
  await openRequest(ids.r4)
  await page.locator(tid('stale-alert')).waitFor()
  await page.click(tid('rebase'))
  await page.locator(tid('stale-alert')).waitFor({ state: 'detached' })
  check((await page.locator('.meta').innerText()).includes('基于第 2 版'), 'now based on version 2')
  await fire('submit')
  await expectState('legal_review')
  await logout()
})

step('司法局: 不予通过 needs an opinion and a confirmation, and ends the request', async () => {
  await login('hsb-sfj')
  await openRequest(ids.r4)
  await fire('reject', '')
  await page.locator(tid('opinion-error')).waitFor()
  await fire('reject', '行使层级的调整缺少上位依据。')
  await confirmBox()
  await expectState('rejected')
  check((await page.locator(tid('actions')).count()) === 0, 'nothing left to do')
  await logout()
})

step('于田县 submitter: two requests on the same item are submitted; a third is cancelled (作废) after a confirmation', async () => {
  await login('yt-ybj')
  ids.r2 = await createRequest(YT, '调整医疗保险稽核的部门职责', '机构改革后职责表述调整。')
  await addOperation({
    op: 'modify',
    target: '医疗保险稽核',
    item: { duty: '负责县级医疗保险稽核，依法开展日常稽核和专项稽核。' },
    reason: '职责表述调整',
    basis: '【部门规章】《社会保险稽核办法》（2003年劳动和社会保障部令第16号）第三条',
  })
  await fire('submit')
  await expectState('legal_review')
  ids.r6 = await createRequest(YT, '调整医疗保险稽核的实施层级', '稽核由县级实施。')
  await addOperation({
    op: 'modify',
    target: '医疗保险稽核',
    item: { level: '县级（由县医疗保障局实施）' },
    reason: '明确实施层级',
    basis: '【部门规章】《社会保险稽核办法》第三条',
  })
  await fire('submit')
  await expectState('legal_review')
  ids.r3 = await createRequest(YT, '拟取消的事项（作废示例）', '暂不调整。')
  await fire('cancel')
  await confirmBox()
  await expectState('cancelled')
  await logout()
})

step('于田县 司法局: 退回 one with an opinion, 通过 the other', async () => {
  await login('yt-sfj')
  check((await page.locator(`${tid('menu-workbench-badge')} .el-badge__content`).innerText()).trim() === '2', 'review badge 2')
  await openRequest(ids.r2)
  await fire('return', '请补充调整依据的具体条款及职责划转文件。')
  await expectState('returned')
  await openRequest(ids.r6)
  await fire('pass', '')
  await expectState('approval')
  await logout()
})

step('于田县 submitter: edits the returned request beside the opinion and resubmits', async () => {
  await login('yt-ybj')
  check((await page.locator(`${tid('menu-workbench-badge')} .el-badge__content`).innerText()).trim() === '1', 'returned request counted')
  await openRequest(ids.r2)
  await expectState('returned')
  check((await page.locator(tid('return-opinion')).innerText()).includes('请补充调整依据的具体条款'), 'opinion beside the request')
  await shot('13-returned-request')
  await page.click(tid('edit-request'))
  await fill('edit-reason', '机构改革后职责表述调整；依据《社会保险稽核办法》第三条及县委编办职责划转文件。')
  await page.click(tid('edit-save'))
  await page.locator(tid('edit-reason')).waitFor({ state: 'hidden' })
  await fire('submit')
  await expectState('legal_review')
  await logout()
})

step('于田县: the resubmitted request is published; the other one then meets a publish conflict and is returned', async () => {
  await login('yt-sfj')
  await openRequest(ids.r2)
  await fire('pass', '同意。')
  await expectState('approval')
  await logout()
  await login('yt-gov')
  check((await page.locator(`${tid('menu-workbench-badge')} .el-badge__content`).innerText()).trim() === '2', 'approval badge 2')
  for (const id of [ids.r2, ids.r6]) {
    await openRequest(id)
    await fire('approve', '')
    await expectState('approved')
  }
  await openRequest(ids.r2)
  await page.click(tid('action-publish'))
  await confirmBox()
  await expectState('published')
  await openRequest(ids.r6)
  await page.locator(tid('conflicts')).waitFor() // named before anyone tries
  // 公布 is disabled while the request conflicts, with the server's reason.
  check(await page.locator(tid('action-publish')).isDisabled(), '公布 disabled during a conflict')
  const err = page.locator(tid('blocked-publish'))
  await err.waitFor()
  check((await err.innerText()).includes('医疗保险稽核'), 'the conflict names the item: ' + (await err.innerText()))
  await shot('14-publish-conflict')
  await fire('return', '清单已更新至第 2 版，请更新基础版本后重新提交。')
  await expectState('returned')
  await logout()
})

step('于田县 submitter: rebases after the conflict; the request is then published as version 3', async () => {
  await login('yt-ybj')
  await openRequest(ids.r6)
  await page.locator(tid('conflicts')).waitFor()
  await page.click(tid('rebase'))
  await page.locator(tid('stale-alert')).waitFor({ state: 'detached' })
  await fire('submit')
  await expectState('legal_review')
  await logout()
  await login('yt-sfj')
  await openRequest(ids.r6)
  await fire('pass', '')
  await expectState('approval')
  await logout()
  await login('yt-gov')
  await openRequest(ids.r6)
  await fire('approve', '')
  await expectState('approved')
  await page.click(tid('action-publish'))
  await confirmBox()
  await expectState('published')
  check((await page.locator(tid('published-version')).innerText()).includes('第 3 版'), 'published as version 3')
  await logout()
})

step('public: the Yutian list shows version 3 and its comparison with version 1', async () => {
  await page.goto(base + '/lists/2')
  await page.locator(tid('section-行政检查')).waitFor()
  check((await page.locator(tid('shown-version')).innerText()).includes('第 3 版（现行）'), 'Yutian version 3')
  await page.goto(`${base}/lists/2/compare?from=1&to=3`)
  await page.locator(tid('change-modified')).waitFor()
  check((await page.locator(`${tid('change-modified')} ${tid('field-duty')} ${tid('redline-ins')}`).count()) > 0, 'duty redlined')
  check((await page.locator(`${tid('change-modified')} ${tid('field-level')} ${tid('redline-ins')}`).count()) > 0, 'level redlined')
  await shot('15-yutian-compare')
})

// ---- further scenarios --------------------------------------------------
// Each file in e2e/scenarios/ (in name order) registers its steps after the
// main scenario, with the same page and helpers; a capability's end-to-end
// test lives in its own file there.
const scenarios = join(dirname(fileURLToPath(import.meta.url)), 'scenarios')
const helpers = {
  step, check, shot, fill, choose, confirmBox, login, logout, expectState, openRequest,
  createRequest, addOperation, fire, requestIdByTitle, api, tid, base, binary, repo, password, ids, HSB, YT,
  page: () => page,
}
for (const f of readdirSync(scenarios).filter((n) => n.endsWith('.mjs')).sort()) {
  const mod = await import(join(scenarios, f))
  mod.default(helpers)
}

// ---- run ----------------------------------------------------------------

let browser
try {
  mkdirSync(shots, { recursive: true })
  await waitHealthy()
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
  context.setDefaultTimeout(15000)
  page = await context.newPage()
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    d.dismiss().catch(() => null)
  })
  // An uncaught error in the page fails the step it happened in.
  const pageErrors = []
  page.on('pageerror', (e) => {
    console.log(`  page error: ${e.message}`)
    pageErrors.push(e.message)
  })
  for (const s of steps) {
    const t = Date.now()
    try {
      await s.fn()
      if (pageErrors.length) throw new Error(`uncaught error in the page: ${pageErrors.splice(0).join('; ')}`)
      passed++
      console.log(`✓ ${s.name} (${Date.now() - t} ms)`)
    } catch (e) {
      failed++
      console.log(`✗ ${s.name} (${Date.now() - t} ms)\n    ${String(e?.message ?? e).split('\n').join('\n    ')}`)
      await page.screenshot({ path: join(shots, `failed-${passed + failed}.png`) }).catch(() => null)
      break // later steps build on this one
    }
  }
} catch (e) {
  failed++
  console.log(`✗ setup: ${e?.message ?? e}`)
} finally {
  await browser?.close().catch(() => null)
  server.kill('SIGTERM')
  if (failed) {
    console.log('--- server log (tail) ---')
    console.log(readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'))
  }
  rmSync(tmp, { recursive: true, force: true })
}
const notRun = steps.length - passed - failed
console.log(`e2e took ${((Date.now() - started) / 1000).toFixed(1)} s${notRun > 0 ? `; ${notRun} steps not run after the failure` : ''}`)
console.log(`${passed} passed, ${failed + Math.max(0, notRun)} failed`)
process.exit(failed || notRun > 0 ? 1 : 0)
