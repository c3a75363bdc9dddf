// Legal-basis intelligence (issue 13): the 法规库, the basis check on the
// public list page and beside a request's operations, and a law change that
// finds the items citing it and puts a draft revision in each agency's hands.
//
// Scope: a legal reviewer records law changes for their own region and their
// change reaches that region's lists only. The two seed lists lie in two
// provinces (红寺堡区, 宁夏; 于田县, 新疆), and the region model has nothing
// above a province (GB/T 2260 has no national code; there is no 司法部 level),
// so no one reviewer's scope covers both. As a county would, each county's
// 司法局 reviewer records the amendment, sees its own list's items and puts
// the draft in its agency's hands; then the 红寺堡区 people take theirs on.
export default function ({ step, check, shot, fill, login, logout, expectState, openRequest, requestIdByTitle, fire, tid, base, ids, page }) {
  const SI = '中华人民共和国社会保险法'

  step('public: the list page counts its findings; the 法规库 shows an instrument and who cites it', async () => {
    const p = page()
    await p.goto(base + '/')
    if (await p.locator(tid('logout')).count()) await logout()
    await p.goto(base + '/lists/1')
    const count = p.locator(tid('findings-count'))
    await count.waitFor()
    check((await count.innerText()).includes('处问题'), 'findings count: ' + (await count.innerText()))
    await count.click()
    await p.locator(tid('findings-table')).waitFor()
    const kinds = await p.locator(tid('finding-kind')).allInnerTexts()
    check(kinds.includes('层级不符') && kinds.includes('版本过时'), 'Hongsibu findings: ' + kinds.join('、'))
    await shot('13-list-basis-check')
    await p.goto(base + '/instruments')
    await p.locator(tid('instrument-title')).first().waitFor()
    await fill('instrument-search', SI)
    await p.press(tid('instrument-search'), 'Enter')
    await p.locator(tid('instrument-title'), { hasText: SI }).first().click()
    const citing = p.locator(tid('citing-items'))
    await citing.waitFor()
    check(/ [1-9]\d* 个事项引用/.test(await citing.innerText()), 'citing items: ' + (await citing.innerText()))
    await p.waitForTimeout(400) // the drawer slides in
    await shot('13-instruments')
  })

  for (const [who, county, own, other] of [['hsb-sfj', '红寺堡区', 1, 2], ['yt-sfj', '于田县', 2, 1]]) {
    step(`${county}司法局 reviewer: records the amendment of 社会保险法, sees the items of the county's list, creates its draft`, async () => {
      const p = page()
      await login(who)
      await p.goto(`${base}/instruments?q=${encodeURIComponent(SI)}`)
      await p.locator(tid('instrument-title'), { hasText: SI }).first().click()
      await p.click(tid('record-change'))
      const form = p.locator(tid('change-form'))
      await form.waitFor()
      const date = form.locator('input[placeholder="通过或公布日期"]')
      await date.fill('2026-05-01')
      await date.press('Enter')
      await fill('change-note', '第五次修正：完善医疗保险基金监管条款')
      await p.click(tid('change-save'))
      await p.waitForURL(/\/instrument-changes\/\d+$/)
      const summary = await p.locator(tid('impact-summary')).innerText()
      check(summary.startsWith('本区') && summary.includes('涉及 1 份清单'), `${county}: ${summary}`)
      check((await p.locator('[data-testid^="impact-list-"]').count()) === 1, `${county}: one list affected`)
      check(await p.locator(tid(`impact-list-${own}`)).isVisible(), `${county}'s own list affected`)
      check((await p.locator(tid(`impact-list-${other}`)).count()) === 0, `${county}: not the other county's list`)
      check((await p.locator(tid('impact-item')).count()) >= 1, 'items listed')
      await shot(`13-change-impact-${who}`)
      await p.click(tid('create-drafts'))
      await p.locator(tid('impact-draft')).waitFor()
      check((await p.locator(tid('create-drafts')).innerText()).includes('均已生成'), 'drafts created once')
      await logout()
    })
  }

  step('红寺堡区医疗保障局 submitter: finds the draft among its requests, rewritten for the amendment, and submits it', async () => {
    const p = page()
    await login('hsb-ybj')
    await p.goto(base + '/requests')
    ids.lawDraft = await requestIdByTitle('社会保险法')
    await openRequest(ids.lawDraft)
    await expectState('draft')
    await p.locator(tid('law-change')).first().waitFor()
    check((await p.locator(tid('operation-modify')).count()) >= 1, 'modify operations drafted')
    check((await p.locator(tid('operations')).innerText()).includes('2026年修正'), 'basis rewritten to the 2026 edition')
    await shot('13-law-change-draft')
    await fire('submit')
    await expectState('legal_review')
    await logout()
  })

  step('司法局 reviewer: sees the law change and the server\'s basis check of the operations; the region report', async () => {
    const p = page()
    await login('hsb-sfj')
    await openRequest(ids.lawDraft)
    await expectState('legal_review')
    await p.locator(tid('law-change')).first().waitFor()
    await p.locator(tid('findings')).waitFor()
    check(await p.locator(tid('action-pass')).isVisible(), 'the reviewer may pass a draft the administrator made')
    await shot('13-review-findings')
    await p.click(tid('menu-basis-report'))
    await p.locator(tid('report-summary')).waitFor()
    // 红寺堡's lists only (the import scenario may have added one there), never 于田's (list 2)
    check((await p.locator('[data-testid^="report-list-"]').count()) >= 1, 'the region\'s lists are reported')
    check((await p.locator(tid('report-list-2')).count()) === 0, 'the reviewer\'s region only')
    await shot('13-basis-report')
    await logout()
  })
}
