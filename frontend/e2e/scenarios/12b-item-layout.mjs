// Every place that shows or edits an item follows its list's own layout: the
// item drawer, the item page and its timeline, the comparison, the operation
// dialog and its preview label the fields by the list's headers, in its
// column order, the extra column in its place, and show no field it lacks.
// Runs after 12-authority: 红寺堡区民政局's imported list (11-import) with its
// extra column 责任科室, edited and published as version 2, and its clerk.
export default function ({ step, check, shot, fill, choose, logout, createRequest, tid, base, page }) {
  const title = '红寺堡区民政局权力清单'
  const target = '养老机构监督检查'
  let list = null
  let itemId = 0

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)
  const texts = async (locator) => (await locator.allInnerTexts()).map((s) => s.trim())

  step("item layout: the drawer and the item page show the imported list's columns, in order, under its headers", async () => {
    const p = page()
    const r = await (await fetch(base + '/api/v1/lists?q=' + encodeURIComponent('民政局'))).json()
    list = await (await fetch(`${base}/api/v1/lists/${r.lists.find((l) => l.title === title).id}`)).json()
    const headers = list.layout.columns.map((c) => c.header)
    check(headers.includes('责任科室') && !list.layout.category_headings, `the imported layout: ${headers}`)
    const items = (await (await fetch(`${base}/api/v1/lists/${list.id}/items`)).json()).items
    itemId = items.find((it) => it.name === target).id

    await p.goto(`${base}/lists/${list.id}`)
    await p.locator(tid('item-name'), { hasText: target }).first().click()
    const drawer = p.locator('.el-drawer:visible')
    await drawer.locator(tid('item-detail')).waitFor()
    const labels = await texts(drawer.locator('.el-descriptions__label'))
    check(same(labels, headers), `drawer labels ${labels} / layout ${headers}`)
    check(!labels.includes('实施部门') && !labels.includes('基本编码'), 'no field the layout lacks')
    await p.waitForTimeout(400) // the drawer slides in
    await shot('12b-item-drawer-imported')
    await drawer.locator('.el-drawer__close-btn').click()

    await p.goto(`${base}/items/${itemId}`)
    await p.locator(tid('item-history')).waitFor()
    const pageLabels = await texts(p.locator(`${tid('item-detail')} .el-descriptions__label`))
    check(same(pageLabels, headers), `item page labels ${pageLabels} / layout ${headers}`)
    check((await p.locator(tid('item-extra-责任科室')).innerText()).includes('养老服务与社会事务股'), 'the published extra on the item page')
    const note = list.layout.columns.find((c) => c.field === 'note').header
    const notes = await texts(p.locator(tid('history-note')))
    check(notes.length > 0 && notes.every((n) => n.startsWith(note + '：')), `the timeline's note under the list's header: ${notes}`)
    await shot('12b-item-page-imported')
  })

  step("item layout: a seed list's drawer keeps the seed's own headers", async () => {
    const p = page()
    const seed = await (await fetch(`${base}/api/v1/lists/1`)).json()
    await p.goto(`${base}/lists/1`)
    await p.locator(tid('item-name')).first().click()
    const drawer = p.locator('.el-drawer:visible')
    await drawer.locator(tid('item-detail')).waitFor()
    const labels = await texts(drawer.locator('.el-descriptions__label'))
    // The category a 权力清单 keeps in headings shows after the name, 子项 and code.
    const want = seed.layout.columns.map((c) => c.header)
    check(same(labels.filter((l) => want.includes(l)), want) && labels.length === want.length + 1, `seed drawer ${labels} / ${want}`)
    await p.waitForTimeout(400)
    await shot('12b-item-drawer-seed')
    await drawer.locator('.el-drawer__close-btn').click()
  })

  step('item layout: the comparison names the changed extra column by its header', async () => {
    const p = page()
    await p.goto(`${base}/lists/${list.id}/compare?from=1&to=2`)
    await p.locator(tid('change-modified')).first().waitFor()
    const rows = await texts(p.locator(`${tid('change-modified')} .diff-table th`))
    const order = list.layout.columns.map((c) => c.header)
    check(rows.includes('责任科室'), `the extra column in the comparison: ${rows}`)
    check(same(rows, [...rows].sort((a, b) => order.indexOf(a) - order.indexOf(b))), `fields in the list's column order: ${rows}`)
  })

  step("item layout: the operation dialog edits in the list's columns, the extra in its place, and the preview says the same", async () => {
    const p = page()
    // The clerk 12-authority gave the department, with the password it chose.
    await p.goto(base + '/login')
    await fill('login-username', 'hsb-mzj')
    await fill('login-password', 'Minzheng-7731-qd')
    await p.press(tid('login-password'), 'Enter')
    await p.locator(tid('current-user')).waitFor()
    await createRequest(title, '核对养老机构监督检查的责任科室', '核对导入清单的责任科室')
    await p.click(tid('add-operation'))
    const form = p.locator(tid('op-form'))
    await form.waitFor()
    await p.click(tid('op-modify'))
    await choose('op-target', target, { type: target })
    await p.locator(tid('op-extra-责任科室')).waitFor()
    const labels = await texts(form.locator('.el-form-item__label'))
    const shown = labels.slice(labels.indexOf('事项') + 1, labels.indexOf('修改理由'))
    const want = list.layout.columns.filter((c) => c.field !== 'seq').map((c) => c.header)
    check(same(shown, want), `the form's fields ${shown} / the list's columns ${want}`)
    await p.locator(tid('op-extra-责任科室')).fill('社会事务股')
    await fill('op-reason', '核对后责任科室为社会事务股')
    await fill('op-basis', '【地方性法规】《宁夏回族自治区养老服务促进条例》第十条')
    await p.locator(tid('op-extra-责任科室')).scrollIntoViewIfNeeded()
    await shot('12b-op-dialog-imported')
    await p.click(tid('op-submit'))
    await form.waitFor({ state: 'detached', timeout: 10000 })
    const preview = p.locator(`${tid('operation-modify')} ${tid('diff-view')}`)
    await preview.waitFor()
    const rows = await texts(preview.locator('.diff-table th'))
    check(rows[0] === '责任科室', `the preview names the extra column by its header: ${rows}`)
    await shot('12b-request-preview-imported')
    await logout()
  })
}
