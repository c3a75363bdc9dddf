// 集中调整: two approved requests of 红寺堡区's list are published together by
// the government's approver as one version named 2026年第二批 with its 审定文号
// and date; the version list and the comparison cite them. Two requests
// touching one item are refused as a batch, naming both, and nothing is
// published; one of them is then published alone with its own 文号, after a
// 公布日期 before the batch's is refused.
// The requests are drafted, reviewed and approved through the API (the
// browser steps of that are the main scenario's); publishing is in the browser.
export default function ({ step, check, shot, fill, login, logout, confirmBox, expectState, openRequest, tid, base, password, page, HSB }) {
  const basis = '【行政法规】《医疗保障基金使用监督管理条例》（2021年国务院令第735号）第二十七条'
  const tokens = {}
  let listID, target, other, a, b, c, d, batchVersion
  // The seed lists were imported today, and a version's 公布日期 may not be
  // before its predecessor's: today in Beijing, as YYYY-MM-DD.
  const beijingDay = (t) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(t)
  const today = beijingDay(new Date())
  const yesterday = beijingDay(new Date(Date.now() - 86400e3))

  async function call(who, method, path, body) {
    if (!tokens[who]) {
      const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: who, password }) })
      check(r.ok, `login ${who}: ${r.status}`)
      tokens[who] = (await r.json()).token
    }
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${tokens[who]}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : null }
  }

  // approved drafts a request with one operation and takes it through review and approval.
  async function approved(title, op) {
    const cr = await call('hsb-ybj', 'POST', '/change-requests', { list_id: listID, title, reason: '医疗保障基金监管职责调整' })
    check(cr.status === 201, `create ${title}: ${JSON.stringify(cr.body)}`)
    const added = await call('hsb-ybj', 'POST', `/change-requests/${cr.body.id}/operations`, { reason: '依据条例调整', basis, ...op })
    check(added.status === 201, `operation of ${title}: ${JSON.stringify(added.body)}`)
    for (const [who, event] of [['hsb-ybj', 'submit'], ['hsb-sfj', 'pass'], ['hsb-gov', 'approve']]) {
      const r = await call(who, 'POST', `/change-requests/${cr.body.id}/transitions`, { event, comment: event === 'submit' ? '' : '同意' })
      check(r.status === 200, `${event} ${title}: ${JSON.stringify(r.body)}`)
    }
    return cr.body.id
  }

  async function versions() {
    return (await call('hsb-gov', 'GET', `/lists/${listID}/versions`)).body.versions
  }

  // selectRequests ticks the rows of the 集中公布 table for these requests.
  async function selectRequests(ids) {
    const p = page()
    for (const id of ids) {
      const row = p.locator(`${tid('batch-requests')} tr`, { has: p.locator(tid('batch-request-' + id)) })
      await row.locator('.el-checkbox').click()
    }
  }

  async function pickDate(id, day) {
    const input = page().locator(`${tid(id)} input`).first()
    await input.fill(day)
    await input.press('Enter')
  }

  step('batches: two requests of 红寺堡区 are approved and wait for publication', async () => {
    const lists = (await call('hsb-gov', 'GET', '/lists')).body.lists
    listID = lists.find((l) => l.title === HSB).id
    const items = (await call('hsb-gov', 'GET', `/lists/${listID}/items`)).body.items
    target = items[0]
    other = items[1]
    a = await approved('调整医疗保障基金检查内容（集中调整）', { op: 'modify', item_id: target.id, item: { content: target.content + '（2026年第二批调整）' } })
    b = await approved('增加医疗保障基金专项检查（集中调整）', {
      op: 'add',
      item: { name: '医疗保障基金专项检查（集中调整）', category: '行政检查', basis },
    })
    const offered = (await call('hsb-gov', 'GET', `/lists/${listID}/publishable`)).body.change_requests.map((r) => r.id)
    check(offered.includes(a) && offered.includes(b), `offered ${offered}`)
    check((await call('hsb-ybj', 'GET', `/lists/${listID}/publishable`)).body.change_requests.length === 0, 'nothing offered to the submitter')
  })

  step('approver: publishes both as 2026年第二批 with its 审定文号 and date', async () => {
    const p = page()
    const before = (await versions())[0].number
    await login('hsb-gov')
    await p.goto(`${base}/lists/${listID}?tab=batch`)
    await p.locator(tid('batch-publish')).waitFor()
    await selectRequests([a, b])
    await fill('batch-name', '2026年第二批')
    await fill('batch-doc-number', '红政函〔2026〕12号')
    await pickDate('batch-date', today)
    check((await p.locator(tid('batch-submit')).innerText()).includes('2 件'), 'two requests chosen')
    await shot('60-batch-form')
    await p.click(tid('batch-submit'))
    await confirmBox()
    await p.locator('.el-message--success', { hasText: '已集中公布为第' }).waitFor()
    batchVersion = before + 1
    await p.locator(tid('version-doc-' + batchVersion)).waitFor()
    check((await p.locator(tid('version-doc-' + batchVersion)).innerText()) === '红政函〔2026〕12号', '文号 in the version list')
    check((await p.locator(tid('version-date-' + batchVersion)).innerText()) === today, '公布日期 in the version list')
    check((await p.locator(tid('version-batch-' + batchVersion)).innerText()).includes('2026年第二批（2 件）'), 'batch in the version list')
    await shot('61-batch-versions')
    const v = (await versions())[0]
    check(v.number === batchVersion && v.change_requests.map((r) => r.id).join() === [a, b].join(), 'one version of both: ' + JSON.stringify(v))
    for (const id of [a, b]) {
      await openRequest(id)
      await expectState('published')
      check((await p.locator(tid('published-version')).innerText()).includes(`第 ${batchVersion} 版`), `request ${id} published in the batch`)
    }
  })

  step('public: the comparison cites the batch, its 文号 and date', async () => {
    const p = page()
    await logout()
    await p.goto(`${base}/lists/${listID}/compare?from=${batchVersion - 1}&to=${batchVersion}`)
    const cite = p.locator(tid('compare-publication-' + batchVersion))
    await cite.waitFor()
    const text = await cite.innerText()
    check(text.includes('2026年第二批') && text.includes('红政函〔2026〕12号') && text.includes(today), 'comparison cites ' + text)
    await shot('62-batch-compare')
    const html = await (await fetch(`${base}/api/v1/lists/${listID}/comparison?from=${batchVersion - 1}&to=${batchVersion}&format=html`)).text()
    check(html.includes('红政函〔2026〕12号'), 'the printable comparison cites the 文号')
  })

  step('approver: two requests touching one item are refused as a batch, naming both', async () => {
    const p = page()
    c = await approved('调整检查层级（集中调整冲突甲）', { op: 'modify', item_id: other.id, item: { level: '区级' } })
    d = await approved('取消检查事项（集中调整冲突乙）', { op: 'remove', item_id: other.id, supervision: '纳入“双随机、一公开”抽查，由医疗保障局日常监管。' })
    const before = (await versions()).length
    await login('hsb-gov')
    await p.goto(`${base}/lists/${listID}?tab=batch`)
    await p.locator(tid('batch-publish')).waitFor()
    await selectRequests([c, d])
    await fill('batch-name', '2026年第三批')
    await fill('batch-doc-number', '红政函〔2026〕15号')
    await p.click(tid('batch-submit'))
    await confirmBox()
    const err = p.locator(tid('batch-error'))
    await err.waitFor()
    const msg = await err.innerText()
    check(msg.includes('#' + c) && msg.includes('#' + d) && msg.includes(other.name), 'conflict names both: ' + msg)
    await shot('63-batch-conflict')
    check((await versions()).length === before, 'nothing published')
  })

  step('approver: publishes one of them alone with its own 文号', async () => {
    const p = page()
    await openRequest(c)
    await fill('publish-doc-number', '红政函〔2026〕16号')
    // A day before the batch's version is refused beside the date, naming both.
    await pickDate('publish-date', yesterday)
    await p.click(tid('action-publish'))
    await confirmBox()
    const refusal = p.locator(tid('publish-error-date'))
    await refusal.waitFor()
    const why = await refusal.innerText()
    check(why.includes(yesterday) && why.includes(today), 'the earlier date is refused naming both: ' + why)
    await shot('64-publish-date-refused')
    await pickDate('publish-date', today)
    await shot('64-publish-record')
    await p.click(tid('action-publish'))
    await confirmBox()
    await expectState('published')
    const v = (await versions())[0]
    check(v.doc_number === '红政函〔2026〕16号' && v.publish_date === today && !v.batch_name && v.change_request?.id === c, 'single publication ' + JSON.stringify(v))
    await logout()
  })
}
