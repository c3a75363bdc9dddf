// Working-day clocks, 督办 and the message centre, through the browser:
// an administrator enters next year's 春节 and sets 红寺堡区's review limit to
// two working days; a request submitted there shows its deadline, lands on
// the 督办 list, is urged, and the reviewer finds the 督办 in the message
// centre with its unread badge.
export default function ({ step, check, shot, fill, choose, login, logout, createRequest, addOperation, fire, expectState, openRequest, tid, base, page }) {
  const title = '依据条例调整检查事项（时限测试）'
  let id

  step('admin: enters the 2027 春节 on the calendar and a two-day review limit for 红寺堡区', async () => {
    const p = page()
    await login('admin')
    await p.click(tid('menu-calendar'))
    await p.locator(tid('calendar-days')).waitFor()
    check((await p.locator(tid('calendar-workdays')).innerText()).includes('个工作日'), 'working days of the year shown')
    const year = p.locator(`${tid('calendar-year')} input`)
    await year.fill('2027')
    await year.press('Enter')
    await p.locator(tid('calendar-no-notice')).waitFor()
    const before = await p.locator(tid('calendar-workdays')).innerText()
    for (const [id, day] of [['entry-from', '2027-02-08'], ['entry-to', '2027-02-12']]) {
      const input = p.locator(`${tid(id)} input`)
      await input.fill(day)
      await input.press('Enter')
    }
    await fill('entry-name', '春节')
    await fill('entry-basis', '国务院办公厅关于2027年部分节假日安排的通知')
    await p.click(tid('entry-submit'))
    await p.locator(tid('calendar-delete-2027-02-10')).waitFor()
    await p.locator(tid('calendar-no-notice')).waitFor({ state: 'detached' })
    const after = await p.locator(tid('calendar-workdays')).innerText()
    check(before.includes('261') && after.includes('256'), `2027 working days ${before} → ${after}`)
    await shot('30-calendar-2027')
    await choose('calendar-region', '红寺堡区', { contains: true })
    await p.locator(tid('limits')).waitFor()
    const review = p.locator(`${tid('limit-review')} input`)
    await review.fill('2')
    await review.press('Tab')
    await p.click(tid('limits-save'))
    await p.locator('.el-message--success', { hasText: '办理时限已保存' }).waitFor()
    await shot('31-calendar-limits')
    await logout()
  })

  step('submitter: the request shows its review deadline in working days once submitted', async () => {
    const p = page()
    await login('hsb-ybj')
    id = await createRequest('红寺堡区医疗保障局权力清单', title, '《医疗保障基金使用监督管理条例》修订，检查事项须相应调整。')
    await p.locator(tid('request-clock-none')).waitFor()
    await addOperation({
      op: 'add',
      item: { name: '医疗保障定点机构现场检查（时限测试）', category: '行政检查', basis: '【行政法规】《医疗保障基金使用监督管理条例》第二十七条' },
      reason: '依据条例增加检查事项',
      basis: '【行政法规】《医疗保障基金使用监督管理条例》第二十七条',
    })
    await fire('submit')
    await expectState('legal_review')
    await p.locator(tid('request-clock')).waitFor()
    check((await p.locator(tid('clock-step')).innerText()) === '审查', 'clock in the review step')
    const detail = await (await p.request.get(`${base}/api/v1/change-requests/${id}`)).json()
    check(detail.clock?.limit === 2 && detail.clock.days_left <= 2 && !detail.clock.overdue, 'clock: ' + JSON.stringify(detail.clock))
    check((await p.locator(tid('clock-due')).innerText()).includes(detail.clock.due), 'due day shown')
    await shot('32-request-clock')
    await logout()
  })

  step('admin: 督办 lists the request, exports XLSX and urges it', async () => {
    const p = page()
    await login('admin')
    await p.click(tid('menu-supervision'))
    await p.locator(tid('supervised-' + id)).waitFor()
    const href = await p.locator(tid('supervision-xlsx')).getAttribute('href')
    const x = await p.request.get(base + href)
    check(x.ok() && x.headers()['content-type'].includes('spreadsheetml'), 'XLSX export ' + x.status())
    await p.click(tid('sort-agency'))
    await p.locator(tid('supervised-' + id)).waitFor()
    await shot('33-supervision')
    await p.click(tid('urge-' + id))
    await fill('urge-comment', '请于两个工作日内完成合法性审查')
    await p.click(tid('urge-submit'))
    await p.locator('.el-message--success', { hasText: '已督办' }).waitFor()
    await openRequest(id)
    await p.locator(tid('timeline-urge')).waitFor()
    await logout()
  })

  step('reviewer: the message centre shows the 督办 with its unread badge; opening it reads it', async () => {
    const p = page()
    await login('hsb-sfj')
    const badgeSel = `${tid('menu-messages-badge')} .el-badge__content`
    const badge = p.locator(badgeSel)
    await badge.waitFor()
    const unread = Number((await badge.innerText()).trim())
    check(unread >= 2, 'unread badge ' + unread)
    await p.click(tid('menu-messages'))
    const urge = p.locator(`${tid('message-urge')}[data-read="false"]`).first()
    await urge.waitFor()
    check((await urge.innerText()).includes('请于两个工作日内完成合法性审查'), 'the 督办 opinion is in the message')
    await shot('34-messages')
    await urge.locator(tid('message-open')).click()
    await p.waitForURL(new RegExp(`/requests/${id}$`))
    await p.locator(tid('request-clock')).waitFor()
    await p.waitForFunction(
      ([sel, n]) => {
        const b = document.querySelector(sel)
        return b && Number(b.textContent.trim()) === n - 1
      },
      [badgeSel, unread],
    )
    await p.click(tid('menu-review'))
    await p.locator(`${tid('requests-table')} ${tid('clock')}`).first().waitFor()
    await shot('35-queue-clocks')
    await logout()
  })
}
