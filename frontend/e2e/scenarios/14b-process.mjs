// The configurable process (流程设置) and 会签, through the browser, on 于田县
// (the scenarios after this one still run 红寺堡区 on today's single path):
// the administrator has 于田县's requests reviewed by the 编办, then the
// 司法局, with 审定 only for 增加, 取消 and 下放. A 调整 is then published
// after both reviews without 审定; a 取消 of an item another department now
// shares waits for that department's 会签, goes through both reviews, 审定
// and 公布. Last, with both reviews together, a request waits in 联合审查
// until both have passed.
export default function ({ step, check, shot, fill, choose, login, logout, createRequest, addOperation, fire, expectState, openRequest, confirmBox, tid, base, page }) {
  const YT = '于田县医疗保障局权责清单目录'
  const other = '于田县卫生健康委员会'
  const basis = '【行政法规】《医疗保障基金使用监督管理条例》（2021年国务院令第735号）第四十一条'
  const newPassword = 'Wjw-process-2026'
  let target // the item both requests touch
  let cancel // the 取消 request

  step('14b admin: sets 于田县 to 编办审核 then 合法性审查, 审定 only for heavy operations', async () => {
    const p = page()
    await login('admin')
    await p.click(tid('menu-admin'))
    await p.click(tid('menu-admin-process'))
    await p.locator(tid('process-page')).waitFor()
    await choose('process-region', '于田县', { type: '于田县', contains: true })
    await p.locator(tid('process-from')).waitFor()
    check((await p.locator(tid('process-from')).innerText()).includes('默认流程'), '于田县 starts on the default process')
    await p.locator(tid('process-staffing')).click()
    await p.locator(tid('process-sequential')).click()
    await p.locator(tid('process-order-staffing')).click()
    for (const op of ['include', 'modify', 'recategorize']) {
      const box = p.locator(tid('process-op-' + op))
      if (await box.locator('input').isChecked()) await box.click()
    }
    check((await p.locator(tid('process-path')).innerText()).includes('编办审核 → 合法性审查'), 'the path shows both reviews in order')
    await p.click(tid('process-save'))
    await p.locator('.el-message--success', { hasText: '流程设置已保存' }).waitFor()
    check((await p.locator(tid('process-from')).innerText()).includes('自己的流程设置'), 'the setting is 于田县 own')
    await shot('40-process-settings')
    const r = await (await p.request.get(`${base}/api/v1/regions/653226/process`)).json()
    check(JSON.stringify(r.process.reviews) === '["staffing","legal"]' && !r.process.parallel, 'stored: ' + JSON.stringify(r.process))
    check(r.process.approval_ops.includes('remove') && !r.process.approval_ops.includes('modify'), 'approval ops: ' + r.process.approval_ops)
    await logout()
  })

  step('14b 于田县: a 调整 goes through 编办 and 司法局 and is published without 审定', async () => {
    const p = page()
    await login('yt-ybj')
    const items = await (await p.request.get(`${base}/api/v1/lists/2/items?limit=200`)).json()
    target = items.items.find((it) => it.department === '于田县医疗保障局' && !it.name.includes('（')).name
    await createRequest(YT, '明确共同实施的部门（流程测试）', '与卫生健康委员会共同实施，明确行使主体。')
    await addOperation({ op: 'modify', target, item: { department: '于田县医疗保障局、' + other }, reason: '明确共同实施的部门', basis })
    await fire('submit')
    await expectState('staffing_review')
    check((await p.locator(tid('process-track')).innerText()).includes('审核后即可公布'), 'a light-track request')
    await shot('41-request-staffing-review')
    const id = Number(new URL(p.url()).pathname.split('/').pop())
    await logout()

    await login('yt-bb')
    await openRequest(id)
    await fire('pass', '符合“三定”规定，同意。')
    await expectState('legal_review')
    await logout()
    await login('yt-sfj')
    await openRequest(id)
    await fire('pass')
    await expectState('approved')
    await shot('42-request-light-approved')
    await logout()
    await login('yt-gov')
    await openRequest(id)
    await fire('publish')
    await confirmBox()
    await expectState('published')
    const d = await (await p.request.get(`${base}/api/v1/change-requests/${id}`)).json()
    check(!d.timeline.some((e) => e.event === 'approve'), 'no 审定 on the light track: ' + d.timeline.map((e) => e.event))
    await logout()
  })

  step('14b admin: 于田县卫生健康委员会 joins with a submitter', async () => {
    const p = page()
    await login('admin')
    const a = await p.request.post(`${base}/api/v1/agencies`, { data: { region_code: '653226', name: other, kind: 'department' } })
    check(a.ok(), 'agency: ' + (await a.text()))
    const ag = await a.json()
    const u = await p.request.post(`${base}/api/v1/users`, {
      data: { username: 'yt-wjw', display_name: '于田县卫健委 经办人', role: 'submitter', agency_id: ag.id ?? ag.agency?.id, password: 'Temp-pass-2026a' },
    })
    check(u.ok(), 'user: ' + (await u.text()))
    await logout()
    await p.goto(base + '/login')
    await fill('login-username', 'yt-wjw')
    await fill('login-password', 'Temp-pass-2026a')
    await p.press(tid('login-password'), 'Enter')
    await p.locator(tid('password-form')).waitFor()
    await fill('password-old', 'Temp-pass-2026a')
    await fill('password-new', newPassword)
    await fill('password-again', newPassword)
    await p.click(tid('password-submit'))
    await p.waitForURL((u) => !u.pathname.startsWith('/password'))
    await logout()
  })

  step('14b 于田县: a 取消 of the shared item waits for 会签 by the 卫健委', async () => {
    const p = page()
    await login('yt-ybj')
    cancel = await createRequest(YT, '取消共同实施的事项（流程测试）', '该事项划转卫生健康委员会实施。')
    await p.click(tid('add-operation'))
    await p.locator(tid('op-form')).waitFor()
    await p.click(tid('op-remove'))
    await choose('op-target', target, { type: target.slice(0, 12) })
    // 取消 needs its 事中事后监管措施 where the form asks for it.
    if (await p.locator(tid('op-supervision')).count()) await fill('op-supervision', '由卫生健康委员会纳入“双随机、一公开”监管，医保局配合开展联合检查。')
    await fill('op-reason', '职责划转')
    await fill('op-basis', basis)
    await p.click(tid('op-submit'))
    await p.locator(tid('op-form')).waitFor({ state: 'detached', timeout: 10000 })
    await fire('submit')
    await expectState('countersign')
    check((await p.locator(tid('countersigns')).innerText()).includes(other), 'the 会签 names the 卫健委')
    check((await p.locator(tid('process-track')).innerText()).includes('须经审定'), 'a heavy-track request')
    await logout()

    await p.goto(base + '/login')
    await fill('login-username', 'yt-wjw')
    await fill('login-password', newPassword)
    await p.press(tid('login-password'), 'Enter')
    await p.waitForURL((u) => !u.pathname.startsWith('/login'))
    await p.click(tid('menu-workbench'))
    await p.locator(tid('request-link-' + cancel)).first().waitFor()
    await openRequest(cancel)
    await p.locator(tid('action-agree')).waitFor()
    await shot('43-request-countersign')
    await fire('agree', '同意，由我委承接监管。')
    await expectState('staffing_review')
    check((await p.locator(tid('countersigns')).innerText()).includes('同意，由我委承接监管。'), 'the opinion is shown')
    await logout()
  })

  step('14b 于田县: the 取消 goes through 编办, 司法局, 审定 and 公布', async () => {
    const p = page()
    for (const [who, action, state] of [['yt-bb', 'pass', 'legal_review'], ['yt-sfj', 'pass', 'approval'], ['yt-gov', 'approve', 'approved']]) {
      await login(who)
      await openRequest(cancel)
      await fire(action)
      await expectState(state)
      if (state === 'approval') await shot('44-request-approval-after-reviews')
      await logout()
    }
    await login('yt-gov')
    await openRequest(cancel)
    await fire('publish')
    await confirmBox()
    await expectState('published')
    const d = await (await p.request.get(`${base}/api/v1/change-requests/${cancel}`)).json()
    const events = d.timeline.map((e) => e.event).join(',')
    check(events === 'create,submit,agree,pass,pass,approve,publish', 'timeline ' + events)
    await logout()
  })

  step('14b 于田县: with both reviews together, a request stays in 联合审查 until both have passed', async () => {
    const p = page()
    await login('admin')
    const r = await p.request.put(`${base}/api/v1/regions/653226/process`, { data: { reviews: ['staffing', 'legal'], parallel: true, approval_ops: ['add', 'remove'] } })
    check(r.ok(), 'reviews together: ' + (await r.text()))
    await logout()
    await login('yt-ybj')
    const items = await (await p.request.get(`${base}/api/v1/lists/2/items?limit=200`)).json()
    const item = items.items.find((it) => it.department === '于田县医疗保障局' && it.name !== target && !it.name.includes('（')).name
    const id = await createRequest(YT, '调整部门职责表述（联合审查）', '按“三定”规定统一职责表述。')
    await addOperation({ op: 'modify', target: item, item: { duty: '负责医疗保障基金监督管理。' }, reason: '统一职责表述', basis })
    await fire('submit')
    await expectState('joint_review')
    await logout()
    await login('yt-sfj')
    await openRequest(id)
    await fire('pass')
    await expectState('joint_review')
    check((await p.locator(tid('process-path')).innerText()).includes('合法性审查已通过'), 'the legal sign-off is shown')
    check(!(await p.locator(tid('action-pass')).count()), 'the 司法局 cannot pass twice')
    await shot('45-request-joint-review')
    await logout()
    await login('yt-bb')
    await openRequest(id)
    await fire('pass')
    await expectState('approved')
    await logout()
  })
}
