// Legal-basis helpers of the UI: how levels and findings look, and the form
// check of a typed basis. The findings themselves (依据体检) come from the
// server, which checks every citation against the registry.

// 法规 and 规章 are how both seed lists write 行政法规 and 部门规章.
const aliases: Record<string, string> = { 法规: '行政法规', 规章: '部门规章' }

export function canonicalLevel(s: string): string {
  const c = s.replace(/\s+/g, '')
  return aliases[c] ?? c
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

/** Where a finding was found, by the field the server names. */
export const findingFieldLabels: Record<string, string> = {
  basis: '职权依据',
  responsibility_basis: '追责依据',
  op_basis: '调整依据',
}

/** Findings that make a citation unusable are red, doubtful ones orange, form ones grey. */
export function findingTagType(kind: string): 'danger' | 'warning' | 'info' {
  switch (kind) {
    case 'repealed':
    case 'superseded':
    case 'not_in_force':
    case 'amending_act':
      return 'danger'
    case 'outdated_edition':
    case 'level_mismatch':
    case 'level_conflict':
      return 'warning'
  }
  return 'info'
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
