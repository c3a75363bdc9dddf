// The server diffs cells character by character as stored, markup included
// ("<p>甲</p>"). displaySegments turns such segments into what a reader should
// see: tags gone, paragraph tags as line breaks, entities decoded — still
// plain text with its insert/delete/equal marks, never HTML.
import type { Segment } from '../api/types'
import { blockTags, tagAt, unescapeEntities } from './paragraphs'

export function displaySegments(segments: Segment[]): Segment[] {
  if (!segments.some((s) => s.text.includes('<') || s.text.includes('&'))) {
    return segments.filter((s) => s.text !== '')
  }
  const chars: { op: Segment['op']; ch: string }[] = []
  for (const s of segments) for (const ch of s.text.split('')) chars.push({ op: s.op, ch })
  const inTag = new Array<boolean>(chars.length).fill(false)
  const breakAt = new Array<boolean>(chars.length).fill(false)
  // Tags are found in each side's own text: before = equal+delete,
  // after = equal+insert; a tag may span segments of different kinds.
  for (const side of ['delete', 'insert'] as const) {
    const idx: number[] = []
    chars.forEach((c, i) => {
      if (c.op === 'equal' || c.op === side) idx.push(i)
    })
    const text = idx.map((i) => chars[i].ch).join('')
    for (let i = 0; i < text.length; ) {
      const tag = tagAt(text, i)
      if (!tag) {
        i++
        continue
      }
      for (let k = i; k < tag.end; k++) inTag[idx[k]] = true
      if (blockTags.has(tag.name)) breakAt[idx[i]] = true
      i = tag.end
    }
  }
  const runs: Segment[] = []
  const push = (op: Segment['op'], text: string) => {
    const last = runs[runs.length - 1]
    if (last && last.op === op) last.text += text
    else runs.push({ op, text })
  }
  chars.forEach((c, i) => {
    if (breakAt[i]) push(c.op, '\n')
    if (!inTag[i]) push(c.op, c.ch)
  })
  // Paragraph breaks as single line breaks: no blank lines, no indent left
  // over from the spaces between tags, nothing before the first paragraph.
  const out: Segment[] = []
  let lineStart = true
  for (const r of runs) {
    let t = unescapeEntities(r.text).replace(/[ \t\u3000]*\n[ \t\u3000\n]*/g, '\n')
    if (lineStart) t = t.replace(/^[\s\u3000]+/, '')
    if (t === '') continue
    lineStart = t.endsWith('\n')
    out.push({ op: r.op, text: t })
  }
  while (out.length) {
    const last = out[out.length - 1]
    last.text = last.text.replace(/[\s\u3000]+$/, '')
    if (last.text !== '') break
    out.pop()
  }
  return out
}
