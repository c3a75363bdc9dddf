// 全域检索 and 统计分析 (issue 15): search every list from the header's box,
// narrow by a filter, open a result; the statistics page draws its charts,
// among them the legal-basis check's findings per department.
export default function ({ step, check, shot, choose, login, logout, tid, base, page, api }) {
  const errors = []

  step('search: the header box searches every list, a filter narrows, a result opens', async () => {
    const p = page()
    p.on('pageerror', (e) => errors.push(e.message))
    await p.goto(base + '/')
    const box = p.locator(tid('global-search')).first()
    await box.fill('医疗保障')
    await box.press('Enter')
    await p.waitForURL(/\/search\?q=/)
    await p.locator(tid('search-item')).first().waitFor()
    const groups = await p.locator('[data-testid^="search-group-"]').count()
    check(groups === 2, `results of both seed lists expected, got ${groups} groups`)
    check((await p.locator('.marked mark').count()) > 0, 'no matching text is marked')
    const total = Number((await p.locator(tid('search-total')).innerText()).replace(/\D/g, ''))
    check(total > 20, `医疗保障 should match more than a page of items, got ${total}`)
    await shot('15-search-results')

    await choose('search-region', '于田县', { contains: true })
    await p.waitForURL(/region=653226/)
    await p.waitForFunction(() => document.querySelectorAll('[data-testid^="search-group-"]').length === 1)
    check(await p.locator(tid('search-group-2')).isVisible(), 'the 于田县 list is not the one left')
    const narrowed = Number((await p.locator(tid('search-total')).innerText()).replace(/\D/g, ''))
    check(narrowed > 0 && narrowed < total, `the region filter should narrow ${total}, got ${narrowed}`)
    await shot('15-search-filtered')

    const first = p.locator('[data-testid^="search-item-link-"]').first()
    const name = (await first.innerText()).trim()
    await first.click()
    await p.waitForURL(/\/items\/\d+/)
    await p.getByText(name).first().waitFor()
  })

  step('search: a one-character query finds items by name', async () => {
    const p = page()
    await p.goto(base + '/search?q=' + encodeURIComponent('罚'))
    await p.locator(tid('search-item')).first().waitFor()
    const marks = await p.locator('.search-item-name mark').allInnerTexts()
    check(marks.length > 0 && marks.every((m) => m === '罚'), `marks: ${marks}`)
  })

  step('statistics: the charts of items and changes, and for an approver the requests', async () => {
    const p = page()
    await p.goto(base + '/stats')
    await p.locator(`${tid('stats-table-agencies')} canvas`).first().waitFor()
    // One row per agency that has a list (the seeds', and any an earlier scenario imported).
    const { lists } = await api('/lists?limit=500')
    const agencies = new Set(lists.map((l) => l.agency.id)).size
    check((await p.locator(`${tid('stats-table-agencies')} .el-table__row`).count()) === agencies, `${agencies} agencies expected`)
    await shot('15-stats-items')
    // The basis check's findings per department: the same counts as each list's own check.
    await p.locator(`${tid('stats-table-findings')} canvas`).first().waitFor()
    const found = {}
    for (const l of lists.filter((x) => x.version > 0)) {
      const { findings } = await api(`/lists/${l.id}/basis-check`)
      found[l.agency.name] = (found[l.agency.name] ?? 0) + findings.length
    }
    const rows = await p.locator(`${tid('stats-table-findings')} .el-table__body-wrapper .el-table__row`).evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())))
    const shown = Object.fromEntries(rows.map((r) => [r[0], Number(r[r.length - 1])]))
    check(Object.keys(found).every((a) => shown[a] === found[a]), `findings per department: shown ${JSON.stringify(shown)}, checks ${JSON.stringify(found)}`)
    await p.locator(tid('stats-findings')).scrollIntoViewIfNeeded()
    await shot('15-stats-findings')
    await choose('stats-child-region', '宁夏回族自治区')
    await p.waitForURL(/region=640000/)
    const nx = new Set((await api('/lists?limit=500&region=640000')).lists.map((l) => l.agency.id)).size
    await p.waitForFunction((n) => document.querySelectorAll('[data-testid="stats-table-agencies"] .el-table__row').length === n, nx)

    await login('hsb-gov')
    await p.goto(base + '/stats')
    await p.locator(`${tid('stats-table-states')} canvas`).first().waitFor()
    check((await p.locator(tid('stats-path')).innerText()).includes('红寺堡区'), 'an approver starts at their region')
    const href = await p.locator(tid('stats-xlsx-states')).getAttribute('href')
    const r = await p.request.get(base + href)
    check(r.ok() && (r.headers()['content-type'] ?? '').includes('spreadsheetml'), `XLSX export answered ${r.status()}`)
    await p.locator(tid('stats-requests')).scrollIntoViewIfNeeded()
    await shot('15-stats-requests')
    await logout()
    check(errors.length === 0, `page errors: ${errors.join('; ')}`)
  })
}
