// How legal-basis levels and findings look in the UI. The findings
// themselves (依据体检) come from the server, which checks every citation
// against the registry and the form of a typed basis.

import { meta } from '../meta'

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

/** Where a finding was found, by the field the server names (models.LinkFieldLabels). */
export const findingFieldLabels: Record<string, string> = meta.citation_fields

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
