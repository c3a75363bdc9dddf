// The server is the one authority, and a list keeps its own columns: the
// public list shows each list in its own layout (the seeds' and an imported
// one's, extra columns included); a clerk of the imported department edits an
// extra column in a change request, sees the server's refusal at the field it
// names, and the edit is published through legal review and approval.
// Runs after 11-import, which imports 红寺堡区民政局's list with its extra
// column 责任科室.
export default function ({ step, check, shot, fill, choose, confirmBox, login, logout, expectState, openRequest, createRequest, fire, tid, base, page }) {
  const title = '红寺堡区民政局权力清单'
  const clerk = 'hsb-mzj'
  const own = 'Minzheng-7731-qd'
  const target = '养老机构监督检查'
  const newDept = '养老服务与社会事务股'
  let listId = 0
  let requestId = 0

  // The headers of the first section's table, in order.
  const headers = async () =>
    (await page().locator('.el-table').first().locator('.el-table__header-wrapper th').allInnerTexts()).map((s) => s.trim()).filter(Boolean)

  step('authority: each list shows in its own columns, under its own headers', async () => {
    const p = page()
    await p.goto(base + '/lists/1')
    await p.locator('[data-testid^="section-"]').first().waitFor({ timeout: 30000 })
    const power = await headers()
    check(power.includes('职权名称') && power.includes('基本编码') && power.includes('职权依据') && power.includes('行使内容'), `红寺堡 headers: ${power}`)
    await shot('12-list-power')
    await p.goto(base + '/lists/2')
    await p.locator('[data-testid^="section-"]').first().waitFor({ timeout: 30000 })
    const duty = await headers()
    check(duty.includes('事项名称') && duty.includes('实施依据') && duty.includes('责任事项内容') && !duty.includes('基本编码'), `于田 headers: ${duty}`)
    await shot('12-list-duty')

    const r = await (await fetch(base + '/api/v1/lists?q=' + encodeURIComponent('民政局'))).json()
    listId = r.lists.find((l) => l.title === title)?.id
    check(listId, `the imported list ${title} is public`)
    await p.goto(`${base}/lists/${listId}`)
    await p.locator(tid('col-责任科室')).first().waitFor({ timeout: 30000 })
    const imported = await headers()
    const list = await (await fetch(`${base}/api/v1/lists/${listId}`)).json()
    // The category heads each section rather than a column.
    const want = list.layout.columns.filter((c) => c.field !== 'category').map((c) => c.header)
    const shown = imported.filter((h) => want.includes(h))
    check(JSON.stringify(shown) === JSON.stringify(want.filter((h) => imported.includes(h))) && shown.includes('责任科室'), `imported columns in the list's order: ${imported} / ${want}`)
    check((await p.locator(tid('cell-extra-责任科室')).first().innerText()).trim() !== '', 'the extra column has its values')
    await shot('12-list-imported')
  })

  step('authority: an administrator gives the imported department a clerk', async () => {
    const p = page()
    await login('admin')
    const list = await (await fetch(`${base}/api/v1/lists/${listId}`)).json()
    const status = await p.evaluate(
      async (body) => (await fetch('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status,
      { username: clerk, display_name: '民政局经办人', role: 'submitter', agency_id: list.agency.id, password: 'Temp-7731-mzj' },
    )
    check(status === 201, `creating the clerk answered ${status}`)
    await logout()
    await p.goto(base + '/login')
    await fill('login-username', clerk)
    await fill('login-password', 'Temp-7731-mzj')
    await p.press(tid('login-password'), 'Enter')
    await p.waitForURL(/\/password$/)
    await fill('password-old', 'Temp-7731-mzj')
    await fill('password-new', own)
    await fill('password-again', own)
    await p.click(tid('password-submit'))
    await p.waitForURL((u) => !u.pathname.endsWith('/password'))
  })

  step("authority: the dialog edits the list's extra column and shows the server's refusal at its field", async () => {
    const p = page()
    requestId = await createRequest(title, '调整养老机构监督检查的责任科室', '机构改革后养老服务由新设股室承担')
    await p.click(tid('add-operation'))
    const form = p.locator(tid('op-form'))
    await form.waitFor()
    await p.click(tid('op-modify'))
    await choose('op-target', target, { type: target })
    const extra = p.locator(tid('op-extra-责任科室'))
    await extra.waitFor()
    const items = (await (await fetch(`${base}/api/v1/lists/${listId}/items`)).json()).items
    const before = items.find((it) => it.name === target)?.extra?.['责任科室'] ?? ''
    const bare = (s) => s.replace(/<[^>]*>|\s/g, '')
    check(bare(await extra.inputValue()) === bare(before), `the extra column is prefilled from the item: ${await extra.inputValue()} / ${before}`)
    await extra.fill(newDept)
    await fill('op-reason', '机构改革，养老服务职责调整至新设股室')
    // A basis that cites no instrument: only the server knows the rule.
    await fill('op-basis', '依照有关规定')
    await p.click(tid('op-submit'))
    const basisItem = p.locator('.el-form-item', { has: p.locator(tid('op-basis')) })
    await basisItem.locator('.el-form-item__error').waitFor()
    const msg = await basisItem.locator('.el-form-item__error').innerText()
    check(msg.includes('《名称》'), `the server's message at 调整依据: ${msg}`)
    check(await form.isVisible(), 'the dialog stays open with what was typed')
    await shot('12-op-dialog-server-error')
    await fill('op-basis', '【地方性法规】《宁夏回族自治区养老服务促进条例》第十条')
    await basisItem.locator('.el-form-item__error').waitFor({ state: 'detached' }) // the server's old word goes once the field is changed
    await extra.scrollIntoViewIfNeeded()
    await shot('12-op-dialog-extra')
    await p.click(tid('op-submit'))
    await form.waitFor({ state: 'detached', timeout: 10000 })
    const ops = await p.evaluate(async (id) => (await (await fetch(`/api/v1/change-requests/${id}`)).json()).operations, requestId)
    check(ops.length === 1 && ops[0].item.extra['责任科室'].includes(newDept), `the operation edits the extra: ${JSON.stringify(ops[0]?.item?.extra)}`)
    const changed = ops[0].preview.fields.map((f) => f.field).filter((f) => f !== 'note') // the note publication writes
    check(JSON.stringify(changed) === JSON.stringify(['extra.责任科室']), `only the extra changes: ${changed}`)
    await fire('submit')
    await expectState('legal_review')
    await logout()
  })

  step('authority: reviewed, approved and published, the public list shows the new value', async () => {
    const p = page()
    await login('hsb-sfj')
    await openRequest(requestId)
    await fire('pass', '')
    await expectState('approval')
    await logout()
    await login('hsb-gov')
    await openRequest(requestId)
    await fire('approve', '')
    await expectState('approved')
    await p.click(tid('action-publish'))
    await confirmBox()
    await expectState('published')
    await logout()
    await p.goto(`${base}/lists/${listId}`)
    await p.locator(tid('col-责任科室')).first().waitFor({ timeout: 30000 })
    const row = p.locator('.el-table__row', { hasText: target }).first()
    check((await row.innerText()).includes(newDept), 'the published extra shows in its column')
    await shot('12-list-imported-published')
  })
}
