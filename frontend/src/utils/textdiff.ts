// A character-level text diff for redline previews the server sends without
// segments (an operation's before/after). Like the Go diff package: code
// points, not lines (Chinese has no spaces), cleaned up so a reader sees whole
// changed phrases. Joining equal+delete gives before; equal+insert, after.
import type { Segment, SegmentOp } from '../api/types'

// Above this many cells the middle part is shown as replaced outright rather
// than compared character by character (cells are rarely this long).
const maxCells = 4_000_000

export function diffText(before: string, after: string): Segment[] {
  if (before === after) return before ? [{ op: 'equal', text: before }] : []
  const a = [...before]
  const b = [...after]
  let pre = 0
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++
  let suf = 0
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++
  const out: Segment[] = []
  push(out, 'equal', a.slice(0, pre).join(''))
  for (const s of middle(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf))) push(out, s.op, s.text)
  push(out, 'equal', a.slice(a.length - suf).join(''))
  return cleanup(out)
}

function push(out: Segment[], op: SegmentOp, text: string) {
  if (!text) return
  const last = out[out.length - 1]
  if (last && last.op === op) last.text += text
  else out.push({ op, text })
}

// middle diffs two texts with no common prefix or suffix by their longest
// common subsequence.
function middle(a: string[], b: string[]): Segment[] {
  const n = a.length
  const m = b.length
  if (n === 0 || m === 0 || n * m > maxCells) {
    const out: Segment[] = []
    push(out, 'delete', a.join(''))
    push(out, 'insert', b.join(''))
    return out
  }
  // lcs[i][j]: length of the LCS of a[i:] and b[j:], in one flat array.
  const w = m + 1
  const lcs = new Uint32Array((n + 1) * w)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1])
    }
  }
  const out: Segment[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push(out, 'equal', a[i])
      i++
      j++
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
      push(out, 'delete', a[i++])
    } else {
      push(out, 'insert', b[j++])
    }
  }
  push(out, 'delete', a.slice(i).join(''))
  push(out, 'insert', b.slice(j).join(''))
  return out
}

// cleanup folds a short equality between edits into them (diff-match-patch's
// semantic rule: no longer than the edits on either side), then regroups each
// run between equalities as one deletion followed by one insertion.
function cleanup(segs: Segment[]): Segment[] {
  let changed = true
  while (changed) {
    changed = false
    segs = regroup(segs)
    for (let k = 1; k < segs.length - 1; k++) {
      const s = segs[k]
      if (s.op !== 'equal') continue
      const left = editLength(segs, k, -1)
      const right = editLength(segs, k, 1)
      const len = [...s.text].length
      if (left > 0 && right > 0 && len <= left && len <= right) {
        segs.splice(k, 1, { op: 'delete', text: s.text }, { op: 'insert', text: s.text })
        changed = true
        break
      }
    }
  }
  return segs
}

// editLength: the larger of the deleted and inserted lengths next to segs[k] in direction dir.
function editLength(segs: Segment[], k: number, dir: 1 | -1): number {
  let del = 0
  let ins = 0
  for (let i = k + dir; i >= 0 && i < segs.length && segs[i].op !== 'equal'; i += dir) {
    if (segs[i].op === 'delete') del += [...segs[i].text].length
    else ins += [...segs[i].text].length
  }
  return Math.max(del, ins)
}

function regroup(segs: Segment[]): Segment[] {
  const out: Segment[] = []
  let del = ''
  let ins = ''
  const flush = () => {
    push(out, 'delete', del)
    push(out, 'insert', ins)
    del = ins = ''
  }
  for (const s of segs) {
    if (s.op === 'delete') del += s.text
    else if (s.op === 'insert') ins += s.text
    else {
      flush()
      push(out, 'equal', s.text)
    }
  }
  flush()
  return out
}
