import { describe, expect, it } from 'vitest'
import { paragraphs, plainText } from './paragraphs'

// The cases of the Go TestParagraphs (basis/basis_test.go): both sides must
// show an imported cell the same way.
const cases: [string, string, string[]][] = [
  ['empty', '', []],
  ['blank markup', '<p> </p> <p></p>', []],
  ['plain text is one paragraph', '解除服务协议；有执业资格的，由有关主管部门依法吊销执业资格。',
    ['解除服务协议；有执业资格的，由有关主管部门依法吊销执业资格。']],
  ['seed paragraphs', '<p>【法律】《中华人民共和国社会保险法》（2018年修正）</p> <p>第三十二条 个人跨统筹地区就业的。</p>',
    ['【法律】《中华人民共和国社会保险法》（2018年修正）', '第三十二条 个人跨统筹地区就业的。']],
  ['text after the last paragraph', '<p>（二）调查、询问；</p> (三)要求被稽核对象提供资料。',
    ['（二）调查、询问；', '(三)要求被稽核对象提供资料。']],
  ['unclosed ol from the Yutian list', '<p>直接实施责任：</p> <ol style="list-style-type: none"> 1. 审查相关证明材料。 2. 及时登记。 ',
    ['直接实施责任：', '1. 审查相关证明材料。 2. 及时登记。']],
  ['inline tags dropped without a break', '<p>第<b>八</b>条</p>', ['第八条']],
  ['br breaks', '甲<br/>乙<BR>丙', ['甲', '乙', '丙']],
  ['entities decoded', '<p>A&nbsp;&amp;&nbsp;B &lt; C</p>', ['A\u00a0&\u00a0B < C']],
  ['encoded markup is removed too', '&lt;p&gt;甲&lt;/p&gt;', ['甲']],
  ['nested tag trick leaves no tag', '<<p>p>甲', ['<', 'p>甲']],
  ['tag rebuilt by stripping is stripped', '&lt;<b>p&gt;甲', ['甲']],
  ['a lone < is text', '5<6 且 a <b', ['5<6 且 a <b']],
  ['line breaks typed in a form', '第一段\r\n\n第二段', ['第一段', '第二段']],
  ['full-width spaces are trimmed like Go does', '\u3000缩进的段落\u3000', ['缩进的段落']],
  ['numeric entities', '&#31532;&#x516b;条', ['第八条']],
]

describe('paragraphs', () => {
  it.each(cases)('%s', (_name, cell, want) => {
    expect(paragraphs(cell)).toEqual(want)
  })

  it('treats null and undefined as empty', () => {
    expect(paragraphs(null)).toEqual([])
    expect(paragraphs(undefined)).toEqual([])
  })

  it('never returns markup, whatever the input', () => {
    const tricky = ['<img src=x onerror=alert(1)>', '<scr<script>ipt>alert(1)</script>', '&lt;img src=x onerror=alert(1)&gt;']
    for (const cell of tricky) {
      for (const p of paragraphs(cell)) expect(p).not.toMatch(/<[A-Za-z/!][^<>]*>/)
    }
  })

  it('joins paragraphs with line breaks in plainText', () => {
    expect(plainText('<p>甲</p><p>乙</p>')).toBe('甲\n乙')
  })
})
