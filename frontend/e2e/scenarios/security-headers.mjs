// Security headers and browser logins: the pages work under the
// Content-Security-Policy every answer carries (no violation reported by
// Chromium), and a login from the page keeps its token out of the body.
export default function ({ step, check, shot, page, login, logout, openRequest, createRequest, addOperation, base, ids, HSB }) {
  step('security: every page works under the CSP, and a browser login gets no token', async () => {
    const p = page()
    const violations = []
    const onConsole = (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
    }
    p.on('console', onConsole)
    await p.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Refused to load (CSP): ${e.violatedDirective} ${e.blockedURI}`),
      )
    })
    try {
      const home = await p.goto(base + '/')
      const csp = home.headers()['content-security-policy'] ?? ''
      check(csp.includes("frame-ancestors 'none'") && csp.includes("script-src 'self'"), `the page carries the CSP: ${csp}`)
      check(home.headers()['x-content-type-options'] === 'nosniff', 'nosniff on the page')
      await p.locator('[data-testid^="list-link-"]').first().waitFor()

      const list = `${base}/lists/${1}`
      await p.goto(list)
      await p.waitForLoadState('networkidle')
      await p.goto(`${list}/compare`)
      await p.waitForLoadState('networkidle')

      const bodies = []
      const onResponse = async (r) => {
        if (r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST') bodies.push(await r.text().catch(() => ''))
      }
      p.on('response', onResponse)
      await login('hsb-ybj')
      p.off('response', onResponse)
      check(bodies.length === 1 && !bodies[0].includes('"token"'), `the login answer to the page carries no token: ${bodies[0]}`)

      const id = await createRequest(HSB, 'CSP 检查用申请', '检查安全策略下页面可用')
      await addOperation({
        op: 'add',
        item: { name: 'CSP 检查事项', category: '行政检查', basis: '【法律】《中华人民共和国行政处罚法》（2021年修订）第五十四条' },
        reason: '检查',
        basis: '【法律】《中华人民共和国行政处罚法》（2021年修订）第七十六条',
      })
      await openRequest(id)
      await p.waitForLoadState('networkidle')
      await shot('security-csp-request')
      await logout()
    } finally {
      p.off('console', onConsole)
    }
    check(violations.length === 0, `CSP violations in the console:\n${violations.join('\n')}`)
  })
}
