import { describe, expect, it } from 'vitest'
import { basisFormMessage, canonicalLevel, checkBasis, citationHeads, levelConflicts, type CitationUse } from './basis'

const use = (level: string, title: string, where = 'x'): CitationUse => ({ citation: { level, title, edition: '', articles: '' }, where })

describe('levelConflicts', () => {
  it('flags one instrument under different levels, like the Go basis.LevelConflicts', () => {
    const got = levelConflicts([
      use('法律', '中华人民共和国社会保险法'),
      use('行政法规', '社会保险费征缴暂行条例', '第5项'),
      use('部门规章', '社会保险费征缴暂行条例', '第1项'),
      use('规章', '社会保险费征缴暂行条例', '操作 2'),
      use('法规', '医疗保障基金使用监督管理条例'),
      use('行政法规', '医疗保障基金使用监督管理条例'),
      use('规范性文件', '高值医用耗材集中采购工作规范(试行)'),
      use('规范性文件', '高值医用耗材集中采购工作规范（试行）'),
      use('', '社会保险费征缴暂行条例'),
    ])
    expect(got).toHaveLength(1)
    expect(got[0].levels).toEqual(['行政法规', '部门规章'])
    expect(got[0].uses.map((u) => u.where)).toEqual(['第5项', '第1项', '操作 2'])
    expect(got[0].summary).toBe('《社会保险费征缴暂行条例》被引用为不同层级：行政法规（1处）、部门规章（2处，写作“规章”）')
  })

  it('finds nothing without uses', () => {
    expect(levelConflicts([])).toEqual([])
  })
})

describe('basis in forms', () => {
  it('reads the heads of citations', () => {
    expect(citationHeads('【法律】《中华人民共和国社会保险法》（2018年修正）第八条\n【规章】 《社会保险稽核办法》第三条')).toEqual([
      { level: '法律', title: '中华人民共和国社会保险法', edition: '', articles: '' },
      { level: '规章', title: '社会保险稽核办法', edition: '', articles: '' },
    ])
  })

  it('asks for a cited title, like the server', () => {
    const cases: [string, boolean][] = [
      ['', false],
      ['社会保险法第八条', false],
      ['【法律】第八条 社会保险经办机构负责登记。', false],
      ['【法律】《中华人民共和国社会保险法》第八条', true],
      ['《社会保险稽核办法》（2003年劳动和社会保障部令第16号）第三条', true],
      ['【行政法规】 社会救助暂行办法(2019 修订)', true],
      ['【法律】《社会保险法', true],
    ]
    for (const [raw, ok] of cases) expect(checkBasis(raw), raw).toBe(ok ? '' : basisFormMessage)
  })

  it('canonicalises the short levels', () => {
    expect(canonicalLevel(' 法规 ')).toBe('行政法规')
    expect(canonicalLevel('规章')).toBe('部门规章')
    expect(canonicalLevel('地方政府规章')).toBe('地方政府规章')
  })
})
