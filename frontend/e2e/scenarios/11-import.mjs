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
    await p.click(tid('import-confirm'))
    await p.waitForURL(/\/lists\/\d+$/)
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
