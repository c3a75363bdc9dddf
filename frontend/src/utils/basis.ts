// Legal-basis helpers mirroring the Go basis package: canonical levels, the
// title key, and the finding a reviewer needs — one instrument cited under
// different levels.
import type { Citation } from '../api/types'

export const levels = ['法律', '行政法规', '地方性法规', '部门规章', '地方政府规章', '规范性文件']

// 法规 and 规章 are how both seed lists write 行政法规 and 部门规章.
const aliases: Record<string, string> = { 法规: '行政法规', 规章: '部门规章' }

export function canonicalLevel(s: string): string {
  const c = s.replace(/\s+/g, '')
  return aliases[c] ?? c
}

/** Two titles name the same instrument when equal up to spaces and parenthesis width. */
export function titleKey(title: string): string {
  return title.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）')
}

export function levelTagType(level: string): 'danger' | 'warning' | 'primary' | 'success' | 'info' {
  switch (canonicalLevel(level)) {
    case '法律':
      return 'danger'
    case '行政法规':
    case '地方性法规':
      return 'warning'
    case '部门规章':
    case '地方政府规章':
      return 'primary'
    case '规范性文件':
      return 'success'
  }
  return 'info'
}

export interface CitationUse {
  citation: Citation
  where: string // e.g. "操作 2（增加）" or "第5项 某事项"
}

export interface LevelConflict {
  title: string
  levels: string[]
  uses: CitationUse[]
  summary: string
}

/** Instruments cited under more than one canonical level, in order of first appearance. */
export function levelConflicts(uses: CitationUse[]): LevelConflict[] {
  const byKey = new Map<string, { title: string; levels: string[]; uses: CitationUse[] }>()
  for (const u of uses) {
    const title = u.citation.title?.trim() ?? ''
    const level = u.citation.level?.trim() ?? ''
    if (!title || !level) continue
    const k = titleKey(title)
    let c = byKey.get(k)
    if (!c) {
      c = { title, levels: [], uses: [] }
      byKey.set(k, c)
    }
    c.uses.push(u)
    const lv = canonicalLevel(level)
    if (!c.levels.includes(lv)) c.levels.push(lv)
  }
  const out: LevelConflict[] = []
  for (const c of byKey.values()) {
    if (c.levels.length > 1) out.push({ ...c, summary: summary(c) })
  }
  return out
}

// Like Go's Conflict.Summary: 《X》被引用为不同层级：行政法规（2处）、部门规章（1处，写作“规章”）
function summary(c: { title: string; levels: string[]; uses: CitationUse[] }): string {
  const parts = c.levels.map((lv) => {
    let n = 0
    const spellings: string[] = []
    for (const u of c.uses) {
      if (canonicalLevel(u.citation.level) !== lv) continue
      n++
      const s = u.citation.level.trim()
      if (s !== lv && !spellings.includes(s)) spellings.push(s)
    }
    return `${lv}（${n}处${spellings.length ? '，写作“' + spellings.join('”“') + '”' : ''}）`
  })
  return `《${c.title}》被引用为不同层级：${parts.join('、')}`
}

/**
 * citationHeads finds the 【level】《title》 heads of a basis typed in a form —
 * enough to check the form and to flag level conflicts before saving; the
 * server parses the full citations.
 */
export function citationHeads(raw: string): Citation[] {
  const out: Citation[] = []
  const re = /【([^【】\n]{1,12})】\s*《([^《》\n]+)》/g
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    out.push({ level: m[1].trim(), title: m[2].trim(), edition: '', articles: '' })
  }
  return out
}

/**
 * hasTitle mirrors the server's check of a legal basis: at least one cited
 * instrument with a title — in 《》, or written after a 【level】 (basis.Parse
 * reads "【行政法规】 社会救助暂行办法" as a title, "【法律】第八条" as articles only).
 */
export function hasTitle(raw: string): boolean {
  return /《\s*[^\s《》]/.test(raw) || /【[^【】\n]{1,12}】[ \t\u3000]*(?!第)[^\s（(【《第]/.test(raw)
}

export const basisFormMessage = '依据须至少引用一部法律、法规或文件，并以《名称》标明，例如：【法律】《中华人民共和国社会保险法》第八十七条'

/** The form check of a legal basis: '' when fine, else the server's message. */
export function checkBasis(raw: string): string {
  return hasTitle(raw) ? '' : basisFormMessage
}
