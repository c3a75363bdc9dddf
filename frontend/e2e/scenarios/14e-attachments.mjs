// 附件 of a change request, through the browser: the drafter uploads a 批复
// (PDF) and sees it listed with its hash, a file that is not what its name
// says is refused, a scan is uploaded and deleted again; the download is the
// same bytes under the Chinese name, never shown inline; the reviewer reads
// the files of the submitted request, adds a 审查意见书 and is offered to
// delete only that; the approver, not yet in their step, is offered no
// upload; someone of another county gets 404, an anonymous caller 401.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

export default function ({ step, check, shot, choose, confirmBox, login, logout, createRequest, addOperation, fire, expectState, openRequest, tid, base, page }) {
  const title = '依据批复调整检查事项（附件测试）'
  const pdfName = '关于调整医疗保障权力清单的批复.pdf'
  const opinionName = '合法性审查意见书.pdf'
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% 红寺堡区人民政府批复\ntrailer<</Root 1 0 R>>\n%%EOF\n')
  const sha = createHash('sha256').update(pdf).digest('hex')
  // The smallest PNG: one transparent pixel.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
  const fileInput = `${tid('attachment-upload')} input[type="file"]`
  let id, href

  step('submitter: uploads a 批复 to a draft and sees it listed; a web page named .pdf is refused', async () => {
    const p = page()
    await login('hsb-ybj')
    id = await createRequest('红寺堡区医疗保障局权力清单', title, '区人民政府批复同意调整检查事项。')
    await p.locator(tid('attachments')).waitFor()
    check((await p.locator(tid('attachments')).innerText()).includes('暂无附件'), 'a new draft has no attachments')
    await choose('attachment-kind', '批复')
    await p.setInputFiles(fileInput, { name: pdfName, mimeType: 'application/pdf', buffer: pdf })
    const link = p.locator(tid('attachment-link'), { hasText: pdfName })
    await link.waitFor()
    const row = p.locator(`${tid('attachment-table')} tr`, { has: link })
    const text = await row.innerText()
    check(text.includes('批复') && text.includes('红寺堡区') && text.includes(sha.slice(0, 12)), 'listed row: ' + text)
    href = await link.getAttribute('href')

    await p.setInputFiles(fileInput, { name: '会议纪要.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><script>alert(1)</script>') })
    await p.locator(tid('attachment-error')).waitFor()
    const refusal = await p.locator(tid('attachment-error')).innerText()
    check(refusal.includes('这个文件实际是网页（HTML）') && !refusal.startsWith('file'), 'the refusal names what the file is: ' + refusal)
    await p.locator(tid('attachments')).scrollIntoViewIfNeeded()
    await shot('14e-request-attachments')
  })

  step('submitter: downloads the 批复 byte for byte under its Chinese name; a scan is uploaded and deleted', async () => {
    const p = page()
    const [download] = await Promise.all([p.waitForEvent('download'), p.click(`${tid('attachment-link')}:has-text("${pdfName}")`)])
    check(download.suggestedFilename() === pdfName, 'download name ' + download.suggestedFilename())
    const bytes = readFileSync(await download.path())
    check(createHash('sha256').update(bytes).digest('hex') === sha, 'downloaded bytes differ from the upload')
    const r = await p.request.get(base + href)
    const h = r.headers()
    check(h['content-type'] === 'application/pdf' && h['x-content-type-options'] === 'nosniff' && h['content-disposition'].startsWith('attachment;'),
      'download headers ' + JSON.stringify(h))

    await choose('attachment-kind', '调整依据')
    await p.setInputFiles(fileInput, { name: '调整依据扫描件.png', mimeType: 'image/png', buffer: png })
    const scan = p.locator(`${tid('attachment-table')} tr`, { hasText: '调整依据扫描件.png' })
    await scan.waitFor()
    await scan.locator('[data-testid^="delete-attachment-"]').click()
    await confirmBox()
    await scan.waitFor({ state: 'detached' })
    check((await p.locator(tid('attachment-link')).count()) === 1, 'one attachment left')
  })

  step('reviewer: reads the submitted request’s attachments, adds a 审查意见书 and may delete only that', async () => {
    const p = page()
    await addOperation({
      op: 'add',
      item: { name: '医疗保障定点机构专项检查（附件测试）', category: '行政检查', basis: '【行政法规】《医疗保障基金使用监督管理条例》第二十七条' },
      reason: '依据批复增加检查事项',
      basis: '【行政法规】《医疗保障基金使用监督管理条例》第二十七条',
    })
    await fire('submit')
    await expectState('legal_review')
    await logout()
    await login('hsb-sfj')
    await openRequest(id)
    await p.locator(tid('attachment-link')).waitFor()
    check((await p.locator('[data-testid^="delete-attachment-"]').count()) === 0, 'the reviewer is offered to delete the drafter’s 批复')
    check((await p.request.get(base + href)).status() === 200, 'the reviewer downloads the file')
    // The reviewer of the step attaches their opinion, offered as 审查意见书.
    check((await p.locator(tid('attachment-kind')).innerText()).includes('审查意见书'), 'the reviewer’s first choice is 审查意见书')
    await p.setInputFiles(fileInput, { name: opinionName, mimeType: 'application/pdf', buffer: pdf })
    const own = p.locator(`${tid('attachment-table')} tr`, { hasText: opinionName })
    await own.waitFor()
    check((await own.innerText()).includes('审查意见书'), 'listed as 审查意见书: ' + (await own.innerText()))
    check((await own.locator('[data-testid^="delete-attachment-"]').count()) === 1, 'the reviewer may delete their own file')
    check((await p.locator('[data-testid^="delete-attachment-"]').count()) === 1, 'and only that one')
    await p.locator(tid('attachments')).scrollIntoViewIfNeeded()
    await shot('14e-reviewer-attachments')
    await logout()
  })

  step('approver: in 合法性审查 is not offered an upload', async () => {
    const p = page()
    await login('hsb-gov')
    await openRequest(id)
    await p.locator(tid('attachment-link')).first().waitFor()
    check((await p.locator(tid('attachment-upload')).count()) === 0, 'the approver is offered an upload before 审定')
    await logout()
  })

  step('stranger: another county’s submitter gets 404 and an anonymous caller 401', async () => {
    const p = page()
    await login('yt-ybj')
    check((await p.request.get(base + href)).status() === 404, 'a stranger downloads the file')
    check((await p.request.get(`${base}/api/v1/change-requests/${id}/attachments`)).status() === 404, 'a stranger lists the files')
    await logout()
    check((await p.request.get(base + href)).status() === 401, 'an anonymous caller downloads the file')
  })
}
