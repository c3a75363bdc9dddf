// paragraphs() mirrors the Go basis.Paragraphs: the plain-text paragraphs of
// an imported cell. Markup only marks paragraph breaks and is then dropped;
// the result is rendered as text, never as HTML.

// Tags that end a paragraph; every other tag is dropped without a break. The
// Yutian list has an unclosed <ol> before its numbered duties.
export const blockTags = new Set([
  'p', 'br', 'div', 'ol', 'ul', 'li', 'table', 'tr', 'td', 'th',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
])

export function paragraphs(cell: string | null | undefined): string[] {
  const out: string[] = []
  if (!cell) return out
  let cur = ''
  const flush = () => {
    // A line break typed in a form also separates paragraphs.
    for (const line of plain(cur).split(/[\n\r\u2028\u2029]/)) {
      const p = trimSpace(line)
      if (p !== '') out.push(p)
    }
    cur = ''
  }
  for (let i = 0; i < cell.length; ) {
    const tag = tagAt(cell, i)
    if (tag) {
      if (blockTags.has(tag.name)) flush()
      i = tag.end
      continue
    }
    let j = cell.indexOf('<', i + 1)
    if (j < 0) j = cell.length
    cur += cell.slice(i, j)
    i = j
  }
  flush()
  return out
}

/** The cell as plain text, paragraphs joined by "\n". */
export function plainText(cell: string | null | undefined): string {
  return paragraphs(cell).join('\n')
}

// plain decodes entities and removes any tag the decoding (or a nested
// "<<p>p>") produced, so the result never holds markup.
function plain(s: string): string {
  s = unescapeEntities(s)
  for (;;) {
    const t = stripTags(s)
    if (t === s) return s
    s = t
  }
}

function stripTags(s: string): string {
  if (!s.includes('<')) return s
  let b = ''
  for (let i = 0; i < s.length; ) {
    const tag = tagAt(s, i)
    if (tag) {
      i = tag.end
      continue
    }
    b += s[i]
    i++
  }
  return b
}

// tagAt recognises a tag like <p>, </p>, <ol style="…"> or <!-- --> at s[i]
// and returns its lower-case name and the index after its '>'. A '<' not
// followed by a letter, '/' or '!' is text (e.g. "5<6").
export function tagAt(s: string, i: number): { name: string; end: number } | null {
  if (i + 1 >= s.length || s[i] !== '<') return null
  const c = s[i + 1]
  if (!(c === '/' || c === '!' || isASCIILetter(c))) return null
  const rest = s.slice(i + 1)
  const k = rest.search(/[<>]/)
  if (k < 0 || rest[k] !== '>') return null
  const end = i + 1 + k + 1
  let body = s.slice(i + 1, end - 1)
  if (body.startsWith('/')) body = body.slice(1)
  let n = 0
  while (n < body.length && (isASCIILetter(body[n]) || (n > 0 && body[n] >= '0' && body[n] <= '9'))) n++
  return { name: body.slice(0, n).toLowerCase(), end }
}

function isASCIILetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// Go's unicode.IsSpace, which strings.TrimSpace uses (JS trim() differs on
// U+0085 and U+FEFF).
const space = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const trimRE = new RegExp(`^${space}+|${space}+$`, 'g')

export function trimSpace(s: string): string {
  return s.replace(trimRE, '')
}

// The entities government documents use; Go decodes the whole HTML5 table,
// anything rarer stays as written (still text, never markup).
const named: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002',
  emsp: '\u2003', thinsp: '\u2009', mdash: '—', ndash: '–', hellip: '…', middot: '·',
  ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', times: '×', divide: '÷', deg: '°',
  plusmn: '±', sect: '§', copy: '©', reg: '®', permil: '‰', bull: '•',
}

export function unescapeEntities(s: string): string {
  if (!s.includes('&')) return s
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (m, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd'
      return String.fromCodePoint(cp)
    }
    return Object.prototype.hasOwnProperty.call(named, ref) ? named[ref] : m
  })
}
