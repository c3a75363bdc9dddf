// Issue 9 §3–4: the workbench people land on after logging in, a returned
// operation fixed by editing it, the reviewer seeing exactly what changed,
// the dialog that never drops typed input, 撤回 back to a draft, the 列入
// picker and deleting a draft that was never submitted.
export default function editingWorkbench(h) {
  const { step, check, shot, fill, choose, confirmBox, login, logout, expectState, openRequest, createRequest, addOperation, fire, tid, base, password, HSB, YT } = h
  const page = () => h.page()
  const s = {}

  // The first operation card's edit or delete button of a kind.
  const opButton = async (kind, action) => {
    const btn = page().locator(`${tid('operation-' + kind)} [data-testid^="${action}-op-"]`).first()
    await btn.waitFor()
    return btn
  }

  step('workbench: logging in from the public page lands on the 工作台', async () => {
    await page().goto(base + '/')
    await page().click(tid('login-link'))
    await fill('login-username', 'hsb-ybj')
    await fill('login-password', password)
    await page().press(tid('login-password'), 'Enter')
    await page().waitForURL((u) => u.pathname === '/workbench')
    await page().locator(tid('workbench-title')).waitFor()
    await page().locator(tid('todo-table')).waitFor()
    check(await page().locator(tid('menu-password')).isVisible(), '修改密码 entry for everyone')
    check((await page().locator(tid('workbench-drafts')).count()) === 1, 'a submitter sees their drafts')
    await shot('09b-01-workbench-submitter')
  })

  step('submitter: the operation dialog keeps typed input; 提交 shows the findings first', async () => {
    s.id = await createRequest(HSB, '调整社会保险稽核的行使内容', '稽核范围按机构改革后的职责表述。')
    await addOperation({
      op: 'modify',
      target: '社会保险稽核',
      item: { content: '负责医疗保险稽核' },
      reason: '职责表述调整',
      basis: '【部门规章】《社会保险稽核办法》第三条',
    })
    // Esc with typed input asks first; 继续填写 keeps every character.
    await page().click(tid('add-operation'))
    await page().locator(tid('op-form')).waitFor()
    await fill('op-reason', '写了一半的理由')
    check((await page().locator('.el-form-item__error').count()) === 0, 'no error before save')
    await page().keyboard.press('Escape')
    const box = page().locator('.el-message-box:visible')
    await box.waitFor()
    check((await box.innerText()).includes('尚未保存'), 'asks before dropping input')
    await box.locator('.el-message-box__btns .el-button:not(.el-button--primary)').click()
    await box.waitFor({ state: 'hidden' })
    check((await page().locator(tid('op-reason')).inputValue()) === '写了一半的理由', 'typed input kept')
    await page().click(`${tid('op-form')} .el-button:has-text("取消")`)
    await confirmBox() // 放弃并关闭
    await page().locator(tid('op-form')).waitFor({ state: 'detached' })
    await addOperation({
      op: 'remove',
      target: '社保关系转移接续',
      reason: '事项并入其他事项',
      basis: '【行政法规】《医疗保障基金使用监督管理条例》第二条',
      supervision: '并入事项后按其监管措施一并监管',
    })
    const numbers = await page().locator('[data-testid^="operation-"][data-number]').evaluateAll((els) => els.map((e) => e.dataset.number))
    check(numbers.join(',') === '1,2', 'operations numbered 1, 2: ' + numbers)
    await page().click(tid('action-submit'))
    const confirm = page().locator('.el-message-box:visible')
    await confirm.locator(tid('submit-findings')).waitFor()
    await page().waitForTimeout(400) // the box fades in
    await shot('09b-02-submit-confirm')
    await confirmBox()
    await expectState('legal_review')
    await logout()
  })

  step('司法局: opens the request from the workbench and returns it', async () => {
    await login('hsb-sfj')
    check(new URL(page().url()).pathname === '/workbench', 'reviewer lands on the workbench')
    await page().locator(`${tid('todo-table')} ${tid('request-link-' + s.id)}`).click()
    await expectState('legal_review')
    check((await page().locator(tid('breadcrumb-from')).innerText()).includes('工作台'), 'breadcrumb leads back to the workbench')
    check((await page().locator('.app-menu .el-menu-item.is-active').innerText()).includes('工作台'), 'menu stays on the workbench')
    await fire('return', '操作1请写明“本区域”；操作2不应取消。')
    await expectState('returned')
    await logout()
  })

  step('submitter: fixes the returned operation by editing it, deletes one, then 撤回 and resubmits', async () => {
    await login('hsb-ybj')
    check((await page().locator(`${tid('menu-workbench-badge')} .el-badge__content`).innerText()).trim() === '1', 'the returned request waits')
    await openRequest(s.id)
    await expectState('returned')
    await (await opButton('modify', 'edit')).click()
    await page().locator(tid('op-form')).waitFor()
    check((await page().locator(tid('op-item-content')).inputValue()) === '负责医疗保险稽核', 'the operation as it was')
    await fill('op-item-content', '负责本区域医疗保险稽核')
    await shot('09b-03-edit-operation')
    await page().click(tid('op-submit'))
    await page().locator(tid('op-form')).waitFor({ state: 'detached' })
    await (await opButton('remove', 'delete')).click()
    await confirmBox()
    await page().locator(tid('operation-remove')).waitFor({ state: 'detached' })
    await page().locator(tid('mark-edited')).waitFor()
    await fire('submit')
    await expectState('legal_review')
    await fire('withdraw')
    await confirmBox()
    await expectState('draft')
    check((await page().locator(tid('delete-request')).count()) === 0, 'a request once submitted cannot be deleted')
    await fire('submit')
    await expectState('legal_review')
    await logout()
  })

  step('司法局: sees what changed since the return — the edit redlined, the deleted operation listed', async () => {
    await login('hsb-sfj')
    await openRequest(s.id)
    await page().locator(tid('since-return')).waitFor()
    check((await page().locator(tid('mark-edited')).count()) === 1, 'operation 1 marked edited')
    const redline = page().locator(tid('since-return-redline'))
    check((await redline.locator(tid('redline-ins')).allInnerTexts()).join('').includes('本区域'), 'the edit redlined')
    check((await page().locator(tid('deleted-operations')).innerText()).includes('操作2'), 'the deleted operation listed by its number')
    check((await page().locator('[data-testid^="operation-"][data-number]').getAttribute('data-number')) === '1', 'operation 1 keeps its number')
    await page().locator(tid('since-return')).scrollIntoViewIfNeeded()
    await shot('09b-04-since-return')
    await logout()
  })

  step('于田县 submitter: 列入 picks an item of another list; a never-submitted draft is deleted', async () => {
    await login('yt-ybj')
    const id = await createRequest(YT, '列入医疗保险稽核事项', '按通用目录列入。')
    await page().click(tid('add-operation'))
    await page().locator(tid('op-form')).waitFor()
    await page().click(tid('op-include'))
    await choose('op-include-pick', '社会保险稽核', { type: '稽核', contains: true })
    check((await page().locator(tid('op-item-name')).inputValue()).startsWith('社会保险稽核'), 'fields filled from the chosen item')
    check((await page().locator(tid('op-source')).inputValue()).includes('红寺堡区医疗保障局'), 'the source names the list')
    await shot('09b-05-include-picker')
    await page().click('.el-dialog__headerbtn') // ×: asks, since fields were filled
    await confirmBox() // 放弃并关闭
    await page().locator(tid('op-form')).waitFor({ state: 'detached' })
    await page().click(tid('delete-request'))
    await confirmBox()
    await page().waitForURL((u) => u.pathname !== `/requests/${id}`)
    const r = await fetch(`${base}/api/v1/change-requests/${id}`)
    check(r.status === 401 || r.status === 404, 'draft gone')
    await logout()
  })

  step('requests list: searched and paged on the server; a list shows its items on one page', async () => {
    await login('admin')
    check(new URL(page().url()).pathname === '/workbench', 'admin lands on the workbench')
    await page().goto(base + '/requests')
    await fill('requests-search', '于田县 医疗保障')
    await page().press(tid('requests-search'), 'Enter')
    await page().waitForFunction(() => {
      const links = [...document.querySelectorAll('[data-testid^="request-link-"]')]
      return links.length > 0 && [...document.querySelectorAll('[data-testid="requests-table"] tbody tr')].every((tr) => tr.textContent.includes('于田县'))
    })
    await shot('09b-06-requests-search')
    await logout()
    await page().goto(base + '/lists/1')
    await page().locator(tid('items-pager')).waitFor()
    const shown = await page().locator(tid('item-name')).count()
    check(shown >= 23, `the whole list on one page (${shown})`)
    await fill('item-search', '社会保险稽核办法')
    await page().press(tid('item-search'), 'Enter')
    await page().waitForFunction(() => document.querySelectorAll('[data-testid="item-name"]').length >= 1 && document.querySelectorAll('[data-testid="item-name"]').length < 10)
  })
}
