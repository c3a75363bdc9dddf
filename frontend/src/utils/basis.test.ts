import { describe, expect, it } from 'vitest'
import { canonicalLevel, findingTagType } from './basis'

describe('levels', () => {
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
