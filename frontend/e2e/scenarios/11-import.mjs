// Importing a department's list in the browser: an administrator uploads an
// XLSX with merged cells, corrects one column's mapping, confirms, and the
// public finds the list; a second file for it is refused before upload.
import { join } from 'node:path'

export default function ({ step, check, shot, fill, choose, login, logout, tid, base, repo, page }) {
  const file = join(repo, 'frontend/e2e/fixtures/红寺堡区民政局权力清单.xlsx')
  const title = '红寺堡区民政局权力清单'

  step('import: an administrator uploads an XLSX with merged cells and sees the preview', async () => {
    const p = page()
    await login('admin')
    await p.click(tid('menu-admin')) // 导入清单 is under 系统管理
    await p.click(tid('menu-import'))
    await p.locator(tid('import-agency')).waitFor()
    await fill('import-agency', '红寺堡区民政局')
    await p.locator(tid('import-file')).setInputFiles(file)
    await p.click(tid('import-upload'))
    await p.locator(tid('import-summary')).waitFor()
    check((await p.locator(tid('import-count')).innerText()) === '3', 'three items in the preview')
    const preview = await p.locator(tid('import-preview')).innerText()
    check(preview.includes('社会团体成立、变更、注销登记') && preview.includes('社会团体变更登记'), 'the 主项 merged down names both 子项 rows')
    const marked = p.locator(tid('import-row-anomaly-3'))
    await marked.waitFor({ timeout: 10000 }).catch(() => null) // the preview table renders after the summary
    check(await marked.isVisible(), 'the 子项 written 无 is marked on its row')
    await shot('11-import-preview')
  })

  step('import: the administrator keeps 责任科室 as an extra column, re-reads and confirms', async () => {
    const p = page()
    await choose('import-field-5', '（附加列，照原样保留）')
    check(await p.locator(tid('import-confirm')).isDisabled(), 'confirm waits for the re-read')
    await p.click(tid('import-remap'))
    await p.waitForFunction(() => !document.querySelector('[data-testid="import-confirm"]')?.hasAttribute('disabled'))
    const preview = await p.locator(tid('import-preview')).innerText()
    check(preview.includes('责任科室') && preview.includes('社会组织股'), 'the extra column is previewed')
    await shot('11-import-remapped')
    // The list was published before Qingdan: its 公布日期 and 文号 become version 1's.
    const date = p.locator(`${tid('import-publish-date')} input`).first()
    await date.fill('2099-01-01')
    await date.press('Enter')
    await fill('import-doc-number', '红政办发〔2023〕12号')
    await p.click(tid('import-confirm'))
    await p.locator('.el-form-item__error', { hasText: '不能晚于今天' }).waitFor()
    await date.fill('2023-05-08')
    await date.press('Enter')
    await shot('11-import-record')
    await p.click(tid('import-confirm'))
    await p.waitForURL(/\/lists\/\d+$/)
    await p.goto(p.url() + '?tab=versions')
    await p.locator(tid('version-doc-1')).waitFor()
    check((await p.locator(tid('version-doc-1')).innerText()) === '红政办发〔2023〕12号', '文号 of version 1')
    check((await p.locator(tid('version-date-1')).innerText()) === '2023-05-08', '公布日期 of version 1')
  })

  step('import: the public sees the imported list, its items and the extra column', async () => {
    const p = page()
    await logout()
    await p.goto(base + '/')
    const link = p.locator('[data-testid^="list-link-"]', { hasText: title })
    await link.waitFor()
    await link.click()
    await p.waitForURL(/\/lists\/\d+$/)
    await p.locator('text=养老机构监督检查').first().waitFor()
    const body = await p.locator('body').innerText()
    check(body.includes('社会团体变更登记'), 'the 子项 is listed')
    await shot('11-import-public')
  })

  step('import: a second file for the list is refused before it is uploaded', async () => {
    const p = page()
    await login('admin')
    await p.goto(base + '/import')
    await fill('import-agency', '红寺堡区民政局')
    await p.locator(tid('import-agency')).press('Tab') // change: the page asks whether the list exists
    await p.locator(tid('import-exists')).waitFor()
    check(await p.locator(tid('import-upload')).isDisabled(), 'upload is disabled')
    await shot('11-import-exists')
    await logout()
  })
}
