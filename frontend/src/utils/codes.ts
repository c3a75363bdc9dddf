// The 基本编码 rule of the Go codes.Default: 10 digits, the first two give the
// power type. The forms check it before the server does, with the same words.

export interface PowerType {
  digits: string
  category: string
}

export const powerTypes: PowerType[] = [
  { digits: '01', category: '行政许可' },
  { digits: '02', category: '行政处罚' },
  { digits: '03', category: '行政强制' },
  { digits: '04', category: '行政征收' },
  { digits: '05', category: '行政给付' },
  { digits: '06', category: '行政检查' },
  { digits: '07', category: '行政确认' },
  { digits: '08', category: '行政奖励' },
  { digits: '09', category: '行政裁决' },
  { digits: '10', category: '其他' },
]

export const codeLength = 10

// The seeds write the tenth type as 其他类 (Ningxia) and 其他行政权力 (Xinjiang).
const aliases: Record<string, string> = { 其他类: '其他', 其他行政权力: '其他', 其他权力: '其他' }

/** The canonical category, or '' when the rule does not know it. */
export function canonicalCategory(category: string): string {
  let c = category.trim()
  c = aliases[c] ?? c
  return powerTypes.some((t) => t.category === c) ? c : ''
}

export function typeDigits(category: string): string {
  const c = canonicalCategory(category)
  return powerTypes.find((t) => t.category === c)?.digits ?? ''
}

/**
 * checkCode validates a code against an item's category like codes.Check: an
 * empty code is valid (the Yutian list has none), an empty category only gets
 * the format check. Returns the message to show, or '' when the code is fine.
 */
export function checkCode(code: string, category: string): string {
  if (code === '') return ''
  if (!/^[0-9]+$/.test(code) || code.length !== codeLength) {
    return `基本编码“${code}”格式不正确：应为${codeLength}位数字（现为${[...code].length}个字符）`
  }
  if (category.trim() === '') return ''
  const want = typeDigits(category)
  if (!want) return `权力类型“${category}”不在编码规则的类型表中，无法核对基本编码“${code}”的类型位`
  const got = code.slice(0, 2)
  if (got === want) return ''
  const codeCategory = powerTypes.find((t) => t.digits === got)?.category
  const meaning = codeCategory ? `表示“${codeCategory}”` : '不属于任何权力类型'
  return `基本编码“${code}”的类型位“${got}”${meaning}，与权力类型“${category}”（应为“${want}”）不一致`
}
