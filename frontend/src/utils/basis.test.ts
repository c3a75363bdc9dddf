import { describe, expect, it } from 'vitest'
import { basisFormMessage, canonicalLevel, checkBasis, findingTagType } from './basis'

describe('basis in forms', () => {
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

describe('findings', () => {
  it('colours what makes a citation unusable red and what is doubtful orange', () => {
    expect(findingTagType('repealed')).toBe('danger')
    expect(findingTagType('superseded')).toBe('danger')
    expect(findingTagType('outdated_edition')).toBe('warning')
    expect(findingTagType('unknown_instrument')).toBe('info')
  })
})
