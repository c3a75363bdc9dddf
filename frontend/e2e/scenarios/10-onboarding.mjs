// A county Qingdan never saw sets itself up: a server on a fresh database
// without --demo, the first administrator created with the CLI, 广州市南沙区
// onboarded in the browser by the bulk template, its people logging in and
// replacing their temporary passwords, `qingdan import` filing a list of
// 广州市南沙区卫生健康局 under the right region by itself, and a change
// request on it taken from draft to published by the county's own people.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'

// ---- a minimal XLSX writer: the template's two sheets, filled in ---------

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function sheetXML(rows) {
  const cells = (row, r) =>
    row.map((v, c) => `<c r="${String.fromCharCode(65 + c)}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows
    .map((row, i) => `<row r="${i + 1}">${cells(row, i + 1)}</row>`)
    .join('')}</sheetData></worksheet>`
}

// zip stores the files uncompressed: enough for an XLSX reader.
function zip(files) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8')
    const nameBuf = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBuf.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBuf.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBuf, data)
    centrals.push(central, nameBuf)
    offset += 30 + nameBuf.length + data.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

function xlsx(sheets) {
  const names = Object.keys(sheets)
  const files = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${names
      .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
      .join('')}</Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names
      .map((n, i) => `<sheet name="${esc(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names
      .map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join('')}</Relationships>`,
  }
  names.forEach((n, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = sheetXML(sheets[n])))
  return zip(files)
}

// ---- the scenario ---------------------------------------------------------

export default function ({ step, check, shot: screenshot, fill, choose, confirmBox, addOperation, fire, expectState, tid, page, binary, repo }) {
  const tmp = mkdtempSync(join(tmpdir(), 'qingdan-onboarding-'))
  const env = { ...process.env, DATABASE_URL: `sqlite://${join(tmp, 'county.db')}` }
  let server
  let base
  const adminPassword = 'Nansha-first-admin-2026'
  const passwords = {} // username → the password in force
  const listTitle = '广州市南沙区卫生健康局权力清单'

  const cleanup = () => {
    server?.kill('SIGTERM')
    rmSync(tmp, { recursive: true, force: true })
  }
  process.on('exit', cleanup)

  // Screenshots with the pointer off the menu, so no dropdown hides the page.
  async function shot(name) {
    await page().mouse.move(900, 700)
    await screenshot(name)
  }

  async function loginAs(username) {
    const p = page()
    await p.goto(base + '/login')
    await fill('login-username', username)
    await fill('login-password', passwords[username])
    await p.press(tid('login-password'), 'Enter')
    await p.waitForURL((u) => !u.pathname.startsWith('/login'))
    await p.locator(tid('current-user')).waitFor()
  }

  async function logoutHere() {
    await page().click(tid('logout'))
    await page().locator(tid('login-link')).waitFor()
  }

  step('new county: a server on a fresh database without --demo; the first admin comes from the CLI', async () => {
    const port = await new Promise((ok) => {
      const s = createServer()
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address()
        s.close(() => ok(port))
      })
    })
    base = `http://127.0.0.1:${port}`
    const log = openSync(join(tmp, 'server.log'), 'w')
    // No seeds either: nothing of this county exists before the people set it up.
    server = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`, '--seeds', tmp], { cwd: repo, env, stdio: ['ignore', log, log] })
    for (let i = 0; ; i++) {
      check(i < 150, 'the county server did not answer /healthz')
      if (await fetch(base + '/healthz').then((r) => r.ok).catch(() => false)) break
      await new Promise((r) => setTimeout(r, 200))
    }
    const login = await fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo12345' }) })
    check(login.status === 401, `without --demo there is no admin/demo12345 (login answered ${login.status})`)
    const add = spawnSync(binary, ['user', 'add', '--username', 'root', '--name', '系统管理员', '--role', 'admin', '--password-stdin'], { env, input: adminPassword + '\n', encoding: 'utf8' })
    check(add.status === 0, `qingdan user add: ${add.stderr}`)
    passwords.root = adminPassword
  })

  step('admin: onboards 广州市南沙区 by the bulk template — a preview shows each bad row, then everything in one go', async () => {
    const p = page()
    await loginAs('root')
    check(!p.url().endsWith('/password'), 'a password typed at the terminal is not temporary')
    await p.click(tid('menu-admin'))
    await p.click(tid('menu-admin-onboarding'))
    await p.waitForURL(/\/admin\/onboarding$/)
    await choose('onboarding-region', '广东省广州市南沙区', { type: '南沙区' })
    const [download] = await Promise.all([p.waitForEvent('download'), p.click(tid('onboarding-template'))])
    check(download.suggestedFilename().includes('南沙区440115'), `template file ${download.suggestedFilename()}`)
    const template = readFileSync(await download.path())
    check(template.subarray(0, 2).toString() === 'PK', 'the template is an XLSX file')

    const agencies = [
      ['名称', '类型'],
      ['广州市南沙区司法局', '司法局'],
      ['广州市南沙区人民政府', '人民政府'],
      ['广州市南沙区委编办', '机构编制部门'],
      ['广州市南沙区卫生健康局', '业务部门'],
    ]
    const people = [
      ['用户名', '姓名', '部门', '角色'],
      ['ns-wjj', '陈卫健', '广州市南沙区卫生健康局', '填报人员'],
      ['ns-sfj', '黄审查', '广州市南沙区司法局', '合法性审查人员'],
      ['ns-gov', '林审定', '广州市南沙区人民政府', '审定人员'],
    ]
    // First a file with a mistake: a reviewer put in the health bureau.
    const bad = xlsx({ 部门: agencies, 人员: [...people, ['ns-x', '错位', '广州市南沙区卫生健康局', '合法性审查人员']] })
    writeFileSync(join(tmp, 'bad.xlsx'), bad)
    await p.setInputFiles(`${tid('onboarding-upload')} input[type=file]`, join(tmp, 'bad.xlsx'))
    await p.locator(tid('onboarding-preview')).waitFor()
    await p.getByText('合法性审查人员应属于司法局').waitFor()
    check(await p.locator(tid('onboarding-confirm')).isDisabled(), 'a file with a bad row cannot be confirmed')
    await shot('onboarding-preview-errors')

    writeFileSync(join(tmp, 'good.xlsx'), xlsx({ 部门: agencies, 人员: people }))
    await p.setInputFiles(`${tid('onboarding-upload')} input[type=file]`, join(tmp, 'good.xlsx'))
    await p.getByText('全部行均可创建').waitFor()
    await p.click(tid('onboarding-confirm'))
    await p.locator(tid('onboarding-done')).waitFor()
    const rows = p.locator(`${tid('onboarding-credentials')} .el-table__body tr`)
    check((await rows.count()) === 3, `three temporary passwords shown, not ${await rows.count()}`)
    for (let i = 0; i < 3; i++) {
      const cells = rows.nth(i).locator('td')
      passwords[(await cells.nth(0).innerText()).trim()] = (await cells.nth(4).innerText()).trim()
    }
    check(passwords['ns-wjj'] && passwords['ns-sfj'] && passwords['ns-gov'], `passwords of ${Object.keys(passwords)}`)
    const [sheet] = await Promise.all([p.waitForEvent('download'), p.click(tid('onboarding-download'))])
    check(sheet.suggestedFilename().endsWith('.xlsx'), 'the passwords download as XLSX')
    await shot('onboarding-done')

    await p.click(tid('menu-admin'))
    await p.click(tid('menu-admin-users'))
    await p.locator(`${tid('user-table')} >> text=ns-wjj`).waitFor()
    await p.getByText('临时密码').first().waitFor()
    await shot('admin-users')
    await p.click(tid('menu-admin'))
    await p.click(tid('menu-admin-agencies'))
    await p.locator(`${tid('agency-table')} >> text=广州市南沙区卫生健康局`).waitFor()
    await shot('admin-agencies')
    await p.click(tid('menu-admin'))
    await p.click(tid('menu-admin-regions'))
    await fill('region-search', '南沙')
    await p.click(tid('region-search-button'))
    await p.locator(`${tid('region-results')} >> text=广东省广州市南沙区`).waitFor()
    await shot('admin-regions')
    await logoutHere()
  })

  step('new people: each logs in with the temporary password and must set their own first', async () => {
    const p = page()
    for (const username of ['ns-wjj', 'ns-sfj', 'ns-gov']) {
      await loginAs(username)
      await p.waitForURL(/\/password$/)
      await p.locator(tid('password-forced')).waitFor()
      if (username === 'ns-wjj') {
        // Elsewhere the server refuses while the password is temporary.
        const r = await p.evaluate(async () => (await fetch('/api/v1/change-requests')).status)
        check(r === 403, `a temporary password reaches change requests (${r})`)
        await fill('password-old', passwords[username])
        await fill('password-new', 'ns-wjj-2026-pw')
        await fill('password-again', 'ns-wjj-2026-pw')
        await p.click(tid('password-submit'))
        await p.getByText('密码不能包含用户名').waitFor()
        await shot('password-forced')
      }
      const own = `Nansha-${username.slice(3)}-7731`
      await fill('password-old', passwords[username])
      await fill('password-new', own)
      await fill('password-again', own)
      await p.click(tid('password-submit'))
      await p.waitForURL((u) => !u.pathname.endsWith('/password'))
      passwords[username] = own
      await logoutHere()
    }
  })

  step('import: `qingdan import` files the list of 广州市南沙区卫生健康局 under 440115 by itself', async () => {
    const file = join(repo, 'frontend/e2e/data/nansha-health-power-list.txt')
    const run = spawnSync(binary, ['import', '--json', file], { env, encoding: 'utf8' })
    check(run.status === 0, `qingdan import: ${run.stderr}`)
    const lists = await (await fetch(base + '/api/v1/lists?region=440115')).json()
    check(lists.total === 1 && lists.lists[0].title === listTitle && lists.lists[0].region.code === '440115', `lists of 南沙区: ${JSON.stringify(lists)}`)
  })

  step('南沙区: a change request goes from draft to published through its own people', async () => {
    const p = page()
    await loginAs('ns-wjj')
    await p.goto(base + '/requests')
    await p.click(tid('new-request'))
    await choose('create-list', listTitle, { contains: true })
    await fill('create-reason', '依据《医疗机构管理条例》增加检查事项')
    await fill('create-title', '增加医疗机构校验检查事项')
    await p.press(tid('create-title'), 'Enter')
    await p.waitForURL(/\/requests\/\d+$/)
    await expectState('draft')
    const id = Number(new URL(p.url()).pathname.split('/').pop())
    await addOperation({
      op: 'add',
      item: { name: '对医疗机构校验情况的检查', category: '行政检查', basis: '【行政法规】《医疗机构管理条例》（2022年修订）第四十条' },
      reason: '条例规定的监督管理职权',
      basis: '【行政法规】《医疗机构管理条例》（2022年修订）第四十条',
    })
    await fire('submit')
    await expectState('legal_review')
    await logoutHere()

    await loginAs('ns-sfj')
    await p.goto(`${base}/requests/${id}`)
    await fire('pass', '合法性审查通过')
    await expectState('approval')
    await logoutHere()

    await loginAs('ns-gov')
    await p.goto(`${base}/requests/${id}`)
    await fire('approve', '同意')
    await expectState('approved')
    await fire('publish')
    await confirmBox()
    await expectState('published')
    await shot('nansha-published')
    await logoutHere()
    const lists = await (await fetch(base + '/api/v1/lists?region=440115')).json()
    check(lists.lists[0].version === 2 && lists.lists[0].item_count === 4, `南沙区's list after publication: ${JSON.stringify(lists.lists[0])}`)
    await p.context().clearCookies() // the main server's scenarios after this one start anonymous
  })
}
