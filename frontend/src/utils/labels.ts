// The Chinese words of the domain, one place for the whole UI.
import type { ChangeKind, OpType, Role, State } from '../api/types'

export const stateLabels: Record<State, string> = {
  draft: '草稿',
  legal_review: '合法性审查',
  approval: '审定',
  approved: '待公布',
  published: '已公布',
  returned: '退回修改',
  rejected: '不予通过',
  cancelled: '已作废',
}

export const stateTagType: Record<State, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  draft: 'info',
  legal_review: 'warning',
  approval: 'warning',
  approved: 'primary',
  published: 'success',
  returned: 'danger',
  rejected: 'danger',
  cancelled: 'info',
}

// As the server names them (workflow.EventLabel); "create" starts every timeline.
export const eventLabels: Record<string, string> = {
  create: '起草',
  submit: '提交',
  pass: '审查通过',
  return: '退回修改',
  reject: '不予通过',
  approve: '审定通过',
  publish: '公布',
  withdraw: '撤回',
  cancel: '作废',
}

export const opLabels: Record<OpType, string> = {
  add: '增加',
  include: '列入',
  modify: '调整',
  recategorize: '改为',
  remove: '取消',
}

export const opDescriptions: Record<OpType, string> = {
  add: '增加一项新的权力事项',
  include: '列入已有的权力事项（来自目录或其他部门清单），保留其编码',
  modify: '调整事项的内容、依据等要素',
  recategorize: '改为其他权力类型，并给出新的编码',
  remove: '取消事项，新版本中不再列出',
}

export const kindLabels: Record<ChangeKind, string> = {
  added: '增加',
  included: '列入',
  modified: '调整',
  recategorized: '改为',
  removed: '取消',
}

export const kindTagType: Record<ChangeKind, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  added: 'success',
  included: 'success',
  modified: 'warning',
  recategorized: 'primary',
  removed: 'danger',
}

// As the server names them (models.RoleLabels).
export const roleLabels: Record<Role, string> = {
  submitter: '填报人员',
  legal_reviewer: '合法性审查人员',
  approver: '审定人员',
  admin: '系统管理员',
}

export const listKindLabels = { power: '权力清单', duty: '权责清单' } as const

export type ListKind = keyof typeof listKindLabels

// Field labels follow each layout's own column headings.
const powerLabels: Record<string, string> = {
  seq: '序号', name: '职权名称', subitem: '子项名称', code: '基本编码', category: '权力类型',
  department: '实施部门', basis: '职权依据', level: '行使层级', content: '行使内容', note: '备注',
}
const dutyLabels: Record<string, string> = {
  seq: '序号', name: '事项名称', subitem: '子项名称', code: '基本编码', category: '权力类型',
  department: '行使主体', basis: '实施依据', level: '实施层级及权限', content: '行使内容',
  duty: '部门职责', responsibility: '责任事项内容', responsibility_basis: '责任事项依据',
  accountable: '追责对象范围', accountability: '追责情形', note: '备注',
}

export function fieldLabel(field: string, kind: ListKind = 'power'): string {
  return (kind === 'duty' ? dutyLabels : powerLabels)[field] ?? dutyLabels[field] ?? field
}

/** The item fields a layout shows, in column order. */
export function layoutFields(kind: ListKind): string[] {
  return kind === 'duty'
    ? ['seq', 'name', 'subitem', 'category', 'code', 'basis', 'department', 'level', 'duty', 'responsibility', 'responsibility_basis', 'accountable', 'accountability', 'note']
    : ['seq', 'name', 'subitem', 'code', 'category', 'department', 'basis', 'level', 'content', 'note']
}

/** Fields whose cells hold paragraphs (imported with <p> markup). */
export const longFields = new Set(['basis', 'content', 'duty', 'responsibility', 'responsibility_basis', 'accountable', 'accountability', 'level', 'note'])

const cnNumbers = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二']

export function cnOrdinal(i: number): string {
  return cnNumbers[i] ?? String(i + 1)
}

export function formatTime(s: string | null | undefined): string {
  if (!s) return ''
  const d = new Date(s)
  if (isNaN(d.getTime())) return s
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}
