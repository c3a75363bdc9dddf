import { describe, expect, it } from 'vitest'
import { canonicalCategory, checkCode, typeDigits } from './codes'

describe('checkCode', () => {
  const cases: [string, string, string, string][] = [
    ['no code is fine (the Yutian list has none)', '', '行政处罚', ''],
    ['matching type digits', '0247001000', '行政处罚', ''],
    ['the seed alias 其他类', '1047014000', '其他类', ''],
    ['the seed alias 其他行政权力', '1047014000', '其他行政权力', ''],
    ['only the format without a category', '0647001000', '', ''],
    ['too short', '02470010', '行政处罚', '基本编码“02470010”格式不正确：应为10位数字（现为8个字符）'],
    ['letters', '02470010AB', '行政处罚', '基本编码“02470010AB”格式不正确：应为10位数字（现为10个字符）'],
    ['full-width digits are not digits', '０２４７００１０００', '行政处罚', '基本编码“０２４７００１０００”格式不正确：应为10位数字（现为10个字符）'],
    ['digits of another type', '1047014000', '行政处罚',
      '基本编码“1047014000”的类型位“10”表示“其他”，与权力类型“行政处罚”（应为“02”）不一致'],
    ['digits of no type', '9947014000', '行政检查',
      '基本编码“9947014000”的类型位“99”不属于任何权力类型，与权力类型“行政检查”（应为“06”）不一致'],
    ['unknown category', '0247001000', '行政指导',
      '权力类型“行政指导”不在编码规则的类型表中，无法核对基本编码“0247001000”的类型位'],
  ]
  it.each(cases)('%s', (_name, code, category, want) => {
    expect(checkCode(code, category)).toBe(want)
  })
})

describe('categories', () => {
  it('knows all ten types in order and their aliases', () => {
    expect(typeDigits('行政许可')).toBe('01')
    expect(typeDigits('行政裁决')).toBe('09')
    expect(typeDigits(' 其他类 ')).toBe('10')
    expect(canonicalCategory('其他行政权力')).toBe('其他')
    expect(canonicalCategory('行政指导')).toBe('')
  })
})
