// A published version reads like a list a county prints: on the public page
// and in the XLSX, each 权力类型 once, in the list's order, 序号 1…n within
// it, an added item where its submitter placed it; and the public reads an
// item's history without the review opinions or the names of staff.
//
// Runs after the main scenario, which leaves 红寺堡 at version 2 (增加, 列入,
// 调整, 改为 and 取消 published) with everyone logged out.
import { inflateRawSync } from 'node:zlib'

export default function ({ step, check, shot, login, logout, createRequest, addOperation, fire, expectState, confirmBox, api, tid, base, HSB, page }) {
  const opinion = '经审查，新增和改为事项的依据充分。'
  const added = '对定点医药机构拒不配合医保基金监督检查的处罚'
  const anchor = '对参加药品采购投标的投标人的违法行为的处罚'
  const moved = '社保关系转移接续'

  // The public page's sections, across its pages: [{ heading, seqs, names }].
  async function publicSections(listId) {
    const p = page()
    const out = []
    for (let n = 1; ; n++) {
      await p.goto(`${base}/lists/${listId}?page=${n}`)
      await p.locator(tid('items') + ' [data-testid^="section-"]').first().waitFor()
      const sections = await p.$$eval('[data-testid^="section-"]', (els) =>
        els.map((el) => ({
          heading: el.querySelector('h3').innerText.trim(),
          rows: [...el.querySelectorAll('.el-table__body tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
        })),
      )
      for (const s of sections) {
        const last = out[out.length - 1]
        const seqs = s.rows.map((r) => Number(r[0]))
        const names = s.rows.map((r) => r[1])
        // A category that runs over a page break continues its section.
        if (last && n > 1 && last.heading === s.heading && s === sections[0]) {
          last.seqs.push(...seqs)
          last.names.push(...names)
        } else out.push({ heading: s.heading, seqs, names })
      }
      if (!(await p.locator(tid('items-pager') + ' .btn-next:not([disabled])').count())) return out
    }
  }

  function checkSections(sections, wantCategories, where) {
    const categories = sections.map((s) => s.heading.replace(/^[一二三四五六七八九十]+、/, '').replace(/（\d+项）$/, ''))
    check(JSON.stringify(categories) === JSON.stringify(wantCategories), `${where}: categories ${categories.join('，')}`)
    sections.forEach((s, i) => {
      check(s.heading.startsWith('一二三四五六七八九十'[i] + '、'), `${where}: heading ${s.heading} numbered ${i + 1}`)
      check(s.seqs.every((n, j) => n === j + 1), `${where}: 序号 of ${s.heading}: ${s.seqs.join(',')}`)
    })
  }

  step('09a public: version 2 of 红寺堡 lists each category once, in order, 序号 1…n in each', async () => {
    const sections = await publicSections(1)
    checkSections(sections, ['行政处罚', '行政强制', '行政给付', '行政检查', '其他类'], 'version 2')
    const inspections = sections.find((s) => s.heading.includes('行政检查'))
    check(inspections.names[inspections.names.length - 1].startsWith('建立医疗卫生机构'), 'the recategorised item closes 行政检查')
  })

  step('09a submitter: 增加 placed after a chosen item, and 改为 into a category the list lacks; published', async () => {
    await login('hsb-ybj')
    const id = await createRequest(HSB, '补充医保基金监督检查相关事项', '落实《医疗保障基金使用监督管理条例》。')
    await addOperation({
      op: 'add',
      item: { name: added, category: '行政处罚', code: '0247012000', department: '医疗保障行政部门', basis: '【行政法规】《医疗保障基金使用监督管理条例》第四十五条' },
      position: anchor,
      shot: '09a-op-position',
      reason: '条例规定的处罚事项',
      basis: '【行政法规】《医疗保障基金使用监督管理条例》第四十五条',
    })
    await addOperation({
      op: 'recategorize',
      target: moved,
      item: { category: '行政确认', code: '0747001000' },
      reason: '关系转移接续属于确认事项',
      basis: '【法律】《中华人民共和国社会保险法》（2018年修正）第三十二条',
    })
    const preview = await page().locator(tid('operation-add')).innerText()
    check(preview.includes(added) && preview.includes('序号 8'), 'the preview shows where the added item goes: ' + preview.slice(0, 120))
    await shot('09a-request-placed')
    await fire('submit')
    await expectState('legal_review')
    await logout()
    await login('hsb-sfj')
    await page().goto(`${base}/requests/${id}`)
    await fire('pass', opinion)
    await expectState('approval')
    await logout()
    await login('hsb-gov')
    await page().goto(`${base}/requests/${id}`)
    await fire('approve', '同意。')
    await expectState('approved')
    await page().click(tid('action-publish'))
    await confirmBox()
    await expectState('published')
    check((await page().locator(tid('published-version')).innerText()).includes('第 3 版'), 'published as version 3')
    await logout()
  })

  step('09a public: version 3 — the new category in its place, the added item after its anchor, 序号 1…n', async () => {
    const sections = await publicSections(1)
    checkSections(sections, ['行政处罚', '行政强制', '行政给付', '行政检查', '行政确认', '其他类'], 'version 3')
    const fines = sections[0]
    const at = fines.names.indexOf(added)
    check(at > 0 && fines.names[at - 1] === anchor, `the added item follows ${anchor}: ${fines.names.join(' / ')}`)
    check(sections[4].names.length === 1 && sections[4].names[0].startsWith(moved), '行政确认 holds the recategorised item')
    await page().goto(`${base}/lists/1`) // the whole list on one page (50 a page by default)
    await page().locator(tid('section-行政确认')).waitFor()
    await shot('09a-public-list-v3')
  })

  step('09a public: the XLSX of version 3 has one heading per category, in order, 序号 1…n under each', async () => {
    const r = await fetch(`${base}/api/v1/lists/1/export?format=xlsx&version=3`)
    check(r.ok, `xlsx answers ${r.status}`)
    const rows = xlsxRows(Buffer.from(await r.arrayBuffer()))
    const sections = []
    for (const row of rows.slice(3)) {
      const cells = row.filter((c) => c !== '')
      if (cells.length === 1 && /^[一二三四五六七八九十]+、/.test(row[0])) sections.push({ heading: row[0], seqs: [], names: [] })
      else {
        sections[sections.length - 1].seqs.push(Number(row[0]))
        sections[sections.length - 1].names.push(row[1])
      }
    }
    check(
      JSON.stringify(sections.map((s) => s.heading)) === JSON.stringify(['一、行政处罚', '二、行政强制', '三、行政给付', '四、行政检查', '五、行政确认', '六、其他类']),
      'xlsx headings: ' + sections.map((s) => s.heading).join('，'),
    )
    for (const s of sections) check(s.seqs.every((n, j) => n === j + 1), `xlsx 序号 of ${s.heading}: ${s.seqs.join(',')}`)
    const fines = sections[0].names
    check(fines[fines.indexOf(added) - 1] === anchor, 'xlsx: the added item follows its anchor')
  })

  step('09a public: an anonymous item page shows the request but no opinion and no staff name', async () => {
    const items = (await api('/lists/1/items?q=' + encodeURIComponent(added))).items
    const p = page()
    await p.goto(`${base}/items/${items[0].id}`)
    await p.locator(tid('history-add')).waitFor()
    const text = await p.locator(tid('item-history')).innerText()
    check(text.includes('补充医保基金监督检查相关事项') && text.includes('红寺堡区医疗保障局') && text.includes('条例规定的处罚事项'), 'request, agency and reason shown')
    for (const hidden of [opinion, '审查员', '审定人', '经办人', 'hsb-']) check(!text.includes(hidden), `anonymous page shows ${hidden}`)
    await shot('09a-item-anonymous')
    const history = await api(`/items/${items[0].id}/history`)
    const json = JSON.stringify(history)
    check(!json.includes(opinion) && !json.includes('display_name') && !json.includes('hsb-'), 'the API answers anonymous readers without opinions or names')
    // Staff still see the review, as their role may.
    await login('hsb-sfj')
    await p.goto(`${base}/items/${items[0].id}`)
    await p.locator(tid('history-add')).waitFor()
    check((await p.locator(tid('item-history')).innerText()).includes(opinion), 'staff see the opinion')
    await logout()
  })
}

// xlsxRows reads the first worksheet of an XLSX (a zip of XML parts) as rows
// of cell texts, enough to check headings and numbers.
function xlsxRows(buf) {
  const parts = unzip(buf)
  const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
  const texts = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decode(m[1])).join('')
  const shared = [...(parts['xl/sharedStrings.xml'] ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]))
  const rows = []
  for (const row of parts['xl/worksheets/sheet1.xml'].matchAll(/<row [^>]*?r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = []
    for (const c of row[2].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const col = [...c[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1
      const type = /t="(\w+)"/.exec(c[2])?.[1]
      const body = c[3] ?? ''
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1]
      cells[col] = type === 's' ? shared[Number(v)] : type === 'inlineStr' ? texts(body) : decode(v ?? '')
    }
    rows[Number(row[1]) - 1] = Array.from(cells, (c) => c ?? '')
  }
  return Array.from(rows, (r) => r ?? [])
}

// unzip returns the text of every entry of a zip archive, by name.
function unzip(buf) {
  let eocd = buf.length - 22
  while (buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  const count = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  const out = {}
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10)
    const size = buf.readUInt32LE(at + 20)
    const nameLen = buf.readUInt16LE(at + 28)
    const extra = buf.readUInt16LE(at + 30)
    const comment = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen)
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(start, start + size)
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    at += 46 + nameLen + extra + comment
  }
  return out
}
