import { describe, expect, it } from 'vitest'
import { displaySegments } from './redline'
import type { Segment } from '../api/types'

const eq = (text: string): Segment => ({ op: 'equal', text })
const del = (text: string): Segment => ({ op: 'delete', text })
const ins = (text: string): Segment => ({ op: 'insert', text })

describe('displaySegments', () => {
  it('passes plain segments through', () => {
    const s = [eq('处骗取金额'), del('二'), ins('一'), eq('倍以上')]
    expect(displaySegments(s)).toEqual(s)
  })

  it('shows paragraph markup as line breaks', () => {
    expect(displaySegments([eq('<p>【法律】《社会保险法》</p> <p>第八条 '), del('甲'), ins('乙'), eq('。</p>')])).toEqual([
      eq('【法律】《社会保险法》\n第八条 '), del('甲'), ins('乙'), eq('。'),
    ])
  })

  it('marks a deleted paragraph as deleted, without blank lines', () => {
    expect(displaySegments([eq('<p>甲</p>'), del(' <p>乙</p>')])).toEqual([eq('甲\n'), del('乙')])
  })

  it('drops a tag split across an insertion and a deletion', () => {
    // before "<p>甲</p>", after "<br>甲": the tags differ only in part
    const got = displaySegments([eq('<'), del('p'), ins('br'), eq('>甲'), del('</p>')])
    expect(got.map((s) => s.text).join('')).toBe('甲')
    expect(got.every((s) => !s.text.includes('<') && !s.text.includes('>'))).toBe(true)
  })

  it('decodes entities and keeps a lone < as text', () => {
    expect(displaySegments([eq('A&amp;B '), ins('5<6')])).toEqual([eq('A&B '), ins('5<6')])
  })
})
