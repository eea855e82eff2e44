import * as v from 'valibot'
import { isUuid } from '../ids.ts'
import { normalizePhone } from '../identifiers.ts'

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  boolean: '是/否',
  object: '对象',
  array: '列表',
  record: '对象',
}

/** Chinese for valibot's built-in messages; every schema's own messages are written in Chinese already. */
v.setGlobalMessage((issue) => {
  if (issue.kind === 'schema') {
    if (issue.received === 'undefined') return '缺少必填项'
    const expected = TYPE_NAMES[issue.type]
    return expected ? `应为${expected}` : '取值不在允许范围内'
  }
  if (issue.type === 'max_length') return `长度不能超过 ${String(issue.requirement)}`
  if (issue.type === 'min_length') return `长度不能少于 ${String(issue.requirement)}`
  if (issue.type === 'max_value') return `不能大于 ${String(issue.requirement)}`
  if (issue.type === 'min_value') return `不能小于 ${String(issue.requirement)}`
  return '格式不正确'
})

export const Uuid = v.pipe(v.string('应为文本'), v.check(isUuid, '编号格式不正确'))

/** A calendar date as YYYY-MM-DD (no time zone: a date is what the member wrote). */
export const IsoDate = v.pipe(
  v.string('日期应为文本'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD'),
  v.check((s) => {
    const d = new Date(`${s}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
  }, '日期不存在'),
)

/**
 * Mainland mobile number: 11 digits starting with 1, as typed in any spelling (spaces of every
 * kind, full-width digits, dashes, +86): one account, one spelling (see core/identifiers.ts).
 */
export const Phone = v.pipe(v.string('手机号应为文本'), v.maxLength(40, '请输入 11 位手机号'), v.transform(normalizePhone), v.regex(/^1\d{10}$/, '请输入 11 位手机号'))

export const Password = v.pipe(
  v.string('密码应为文本'),
  v.minLength(8, '密码至少 8 位'),
  v.maxLength(128, '密码最多 128 位'),
)

export const PersonName = v.pipe(
  v.string('姓名应为文本'),
  v.trim(),
  v.minLength(1, '请填写姓名'),
  v.maxLength(40, '姓名最多 40 字'),
)


/** Human-readable summary of valibot issues, in Chinese. */
export function issuesToMessage(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path?.map((p) => String(p.key)).join('.')
      return path ? `${path}：${i.message}` : i.message
    })
    .join('；')
}
