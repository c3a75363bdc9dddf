import { describe, expect, it } from 'vitest'
import { diffText } from './textdiff'
import type { Segment } from '../api/types'

const eq = (text: string): Segment => ({ op: 'equal', text })
const del = (text: string): Segment => ({ op: 'delete', text })
const ins = (text: string): Segment => ({ op: 'insert', text })

const side = (segs: Segment[], drop: 'insert' | 'delete') => segs.filter((s) => s.op !== drop).map((s) => s.text).join('')

// The cases of the Go diff package's TestTextRedlinesChinesePhrases.
const cases: [string, string, string, Segment[]][] = [
  ['equal', '行政处罚', '行政处罚', [eq('行政处罚')]],
  ['both empty', '', '', []],
  ['added from nothing', '', '增加', [ins('增加')]],
  ['removed to nothing', '取消', '', [del('取消')]],
  ['two amounts changed', '处骗取金额二倍以上五倍以下的罚款', '处骗取金额一倍以上三倍以下的罚款',
    [eq('处骗取金额'), del('二'), ins('一'), eq('倍以上'), del('五'), ins('三'), eq('倍以下的罚款')]],
  ['category replaced', '其他类', '行政处罚', [del('其他类'), ins('行政处罚')]],
  ['clause appended', '第八十七条', '第八十七条、第八十八条', [eq('第八十七条'), ins('、第八十八条')]],
  ['phrase rewritten', '对医疗机构的处罚', '对定点医药机构违规行为的处罚',
    [eq('对'), del('医疗机构'), ins('定点医药机构违规行为'), eq('的处罚')]],
]

describe('diffText', () => {
  it.each(cases)('%s', (_name, before, after, want) => {
    const got = diffText(before, after)
    expect(got).toEqual(want)
    expect(side(got, 'insert')).toBe(before)
    expect(side(got, 'delete')).toBe(after)
  })

  it('compares characters, not lines', () => {
    const got = diffText('第一段不变\n第二段处以罚款', '第一段不变\n第二段处以警告')
    expect(got.filter((s) => s.op === 'delete').map((s) => s.text)).toEqual(['罚款'])
  })

  it('reassembles long texts exactly, in both directions', () => {
    const base = '医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款；'.repeat(40)
    const other = base.replace(/2倍/g, '3倍').slice(0, 1500) + '新增条款'
    for (const [x, y] of [[base, other], [other, base]]) {
      const got = diffText(x, y)
      expect(side(got, 'insert')).toBe(x)
      expect(side(got, 'delete')).toBe(y)
      got.forEach((s, i) => i > 0 && expect(s.op).not.toBe(got[i - 1].op))
    }
  })

  it('keeps characters outside the Basic Multilingual Plane whole', () => {
    expect(diffText('𠀀甲', '𠀀乙')).toEqual([eq('𠀀'), del('甲'), ins('乙')])
  })
})
