// 合并 and 下放 through the browser (issue 14 §2, §3): the submitter merges
// two 处罚 items into one and delegates a 检查 to the 乡镇; submission is
// refused until the 下放 carries its 事中事后监管措施; after 合法性审查, 审定
// and 公布, the public list shows the merged item with its 备注 and without
// its sources, and the comparison shows the 合并 as one change.
export default function ({ step, check, shot, fill, confirmBox, login, logout, createRequest, addOperation, fire, expectState, tid, base, page, api, HSB }) {
  const merged = ['对个人造成医疗保障基金损失、骗取医保基金违法行为的处罚', '对骗取医疗救助资金的处罚']
  const mergedName = '对骗取医疗保障基金（含医疗救助资金）行为的处罚'
  const delegated = '对定点医疗机构的检查'
  const supervision = '下放后由区医疗保障局每半年对乡镇开展一次业务指导和抽查，发现问题依法处理'
  const basis = '【行政法规】《医疗保障基金使用监督管理条例》（2021年）第三十八条'
  let id, version

  step('submitter: drafts a 合并 of two items and a 下放 without its 监管措施', async () => {
    const p = page()
    const list = await api('/lists/1/items')
    for (const name of [...merged, delegated]) check(list.items.some((it) => it.name === name), `${name} in the current version`)
    version = list.version
    await login('hsb-ybj')
    id = await createRequest(HSB, '合并骗取医保基金处罚事项并下放定点医疗机构检查', '按照放管服改革要求，精简处罚事项，检查事项下放乡镇。')

    await p.click(tid('add-operation'))
    await p.locator(tid('op-form')).waitFor()
    await p.click(tid('op-merge'))
    // A multiple select stays open after each pick: choose both, then close it.
    const sources = p.locator(tid('op-sources')).first()
    for (const name of merged) {
      await sources.click()
      const input = sources.locator('input').first()
      await input.fill(name.slice(0, 8))
      const list = p.locator('#' + (await input.getAttribute('aria-controls')))
      await list.locator('.el-select-dropdown__item', { hasText: name }).first().click()
    }
    await p.keyboard.press('Escape')
    check((await p.locator(tid('op-item-name')).inputValue()) === merged[0], 'the merged item starts as the first source')
    await fill('op-item-name', mergedName)
    await fill('op-reason', '两项处罚的违法行为同类，合并为一项')
    await fill('op-basis', basis)
    await p.locator(tid('op-sources')).scrollIntoViewIfNeeded()
    await shot('14c-01-merge-dialog')
    await p.click(tid('op-submit'))
    await p.locator(tid('op-form')).waitFor({ state: 'detached', timeout: 10000 })

    await addOperation({
      op: 'delegate',
      target: delegated,
      delegate_to: '乡镇人民政府',
      item: { level: '乡镇' },
      reason: '按照放管服改革要求下放乡镇实施',
      basis,
    })
    await p.locator(tid('operation-merge')).waitFor()
    const mergeCard = await p.locator(tid('operation-merge')).innerText()
    check(merged.every((n) => mergeCard.includes(n)) && mergeCard.includes('合并'), 'the 合并 preview names both sources')
    check((await p.locator(`${tid('operation-merge')} ${tid('merged-from')}`).count()) === 1, 'merge preview lists what is merged')
    check((await p.locator(`${tid('operation-delegate')} ${tid('op-missing')}`).innerText()).includes('缺少事中事后监管措施'), 'the 下放 shows what it lacks')
    await p.locator(tid('operation-delegate')).scrollIntoViewIfNeeded()
    await shot('14c-02-request-missing-material')
  })

  step('submitter: submission is refused until the 下放 has its 事中事后监管措施', async () => {
    const p = page()
    await fire('submit')
    await p.locator(tid('action-error'), { hasText: '缺少事中事后监管措施' }).first().waitFor()
    await expectState('draft')
    const opID = await p.locator(tid('operation-delegate')).locator('[data-testid^="edit-op-"]').getAttribute('data-testid')
    await p.click(tid(opID))
    await p.locator(tid('op-form')).waitFor()
    await fill('op-supervision', supervision)
    await shot('14c-03-delegate-dialog')
    await p.click(tid('op-submit'))
    await p.locator(tid('op-form')).waitFor({ state: 'detached', timeout: 10000 })
    check((await p.locator(tid('op-supervision')).innerText()).includes('每半年'), 'the request shows the 监管措施')
    await fire('submit')
    await expectState('legal_review')
    await logout()
  })

  step('司法局 passes, the government approves and publishes', async () => {
    const p = page()
    await login('hsb-sfj')
    await p.goto(`${base}/requests/${id}`)
    await fire('pass', '合法')
    await expectState('approval')
    await logout()
    await login('hsb-gov')
    await p.goto(`${base}/requests/${id}`)
    await fire('approve', '同意')
    await expectState('approved')
    await p.click(tid('action-publish'))
    await confirmBox()
    await expectState('published')
    await logout()
  })

  step('public: the new version lists the merged item with its 备注; the comparison shows one 合并 and one 下放', async () => {
    const p = page()
    const list = await api('/lists/1/items')
    check(list.version === version + 1, `published as version ${version + 1}`)
    const item = list.items.find((it) => it.name === mergedName)
    check(item?.note === `由“${merged[0]}”、“${merged[1]}”合并而来`, 'merged note: ' + item?.note)
    check(!list.items.some((it) => merged.includes(it.name)), 'the merged items left the list')
    check(list.items.find((it) => it.name === delegated)?.note === '下放至乡镇人民政府', 'delegated note')

    await p.goto(`${base}/lists/1`)
    await p.locator(tid('section-行政处罚')).waitFor()
    check((await p.locator(tid('section-行政处罚')).innerText()).includes(mergedName), 'merged item on the public list')

    // The timeline follows the merge both ways: the merged item names its sources, each leads back.
    await p.goto(`${base}/items/${item.id}`)
    await p.locator(tid('history-lineage')).first().waitFor()
    const lineage = await p.locator(tid('history-lineage')).allInnerTexts()
    check(lineage.length === 2 && merged.every((n, i) => lineage[i].includes('合并自') && lineage[i].includes(n)), 'lineage: ' + lineage)
    await shot('14c-05-item-lineage')
    await p.locator(tid('history-lineage')).first().locator('a').click()
    await p.locator(tid('history-merge')).waitFor()
    check((await p.locator(tid('history-lineage')).innerText()).includes('合并入') && (await p.locator(tid('history-lineage')).innerText()).includes(mergedName), 'a source leads to the merged item')

    await p.goto(`${base}/lists/1/compare?from=${version}&to=${version + 1}`)
    await p.locator(tid('compare-title')).waitFor()
    await p.locator(tid('change-merged')).waitFor()
    check((await p.locator(tid('change-merged')).count()) === 1 && (await p.locator(tid('change-removed')).count()) === 0 &&
      (await p.locator(tid('change-added')).count()) === 0, 'the 合并 is one change, not removals and an addition')
    check((await p.locator(tid('change-delegated')).count()) === 1, 'the 下放 is one change')
    const text = await p.locator(tid('change-merged')).innerText()
    check(merged.every((n) => text.includes(n)), 'the 合并 names its sources')
    await shot('14c-04-comparison')
    const html = await (await p.request.get(`${base}/api/v1/lists/1/comparison?from=${version}&to=${version + 1}&format=html`)).text()
    check(html.includes('合并（第') && html.includes('【事中事后监管措施】' + supervision), '修订对照表: 合并 row and the 监管措施')
  })
}
