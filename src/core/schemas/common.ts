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
    if (issue.expected === 'never') return '含有不支持的字段'
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

export const Uuid = v.pipe(v.string('编号应为文本'), v.check(isUuid, '编号格式不正确'))

/** A field with its Chinese name (shown with its messages, see issuesToMessage). */
export const titled = <S extends v.GenericSchema>(title: string, schema: S) => v.pipe(schema, v.title(title))

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
export const Phone = v.pipe(
  v.string('手机号应为文本'),
  v.maxLength(40, '请输入 11 位手机号'),
  v.transform(normalizePhone),
  v.regex(/^1\d{10}$/, '请输入 11 位手机号'),
  v.title('手机号'),
)

/** Length only: the rest of the password policy (core/domain/password-policy.ts) is checked by the routes that set one, with the account's phone and name, and by their pages (kept out of the app shell). */
export const Password = v.pipe(
  v.string('密码应为文本'),
  v.minLength(8, '密码至少 8 位'),
  v.maxLength(128, '密码最多 128 位'),
  v.title('密码'),
)

export const PersonName = v.pipe(
  v.string('姓名应为文本'),
  v.trim(),
  v.minLength(1, '请填写姓名'),
  v.maxLength(40, '姓名最多 40 字'),
  v.title('姓名'),
)

/** A schema as far as finding a field's Chinese name goes (valibot's own objects, read structurally). */
interface SchemaNode {
  readonly pipe?: readonly unknown[]
  readonly wrapped?: unknown
  readonly entries?: Readonly<Record<string, unknown>>
  readonly item?: unknown
  readonly title?: unknown
}

const asNode = (x: unknown): SchemaNode | null => (typeof x === 'object' && x !== null ? (x as SchemaNode) : null)

/** A schema and what it is made of, outermost first: a pipe's first schema, an optional's or nullable's wrapped one. */
function layers(schema: unknown): SchemaNode[] {
  const out: SchemaNode[] = []
  for (let s = asNode(schema); s && out.length < 16;) {
    out.push(s)
    const inner = s.pipe ? s.pipe[0] : s.wrapped
    s = inner === s ? null : asNode(inner)
  }
  return out
}

/** A field's Chinese name, as the shared schemas give it with `v.title(…)`. */
export function fieldLabel(schema: unknown): string | undefined {
  for (const s of layers(schema)) {
    for (const a of s.pipe ?? []) {
      const action = asNode(a) as (SchemaNode & { type?: unknown }) | null
      if (action?.type === 'title' && typeof action.title === 'string') return action.title
    }
  }
  return undefined
}

/** One step into a schema: an object's field, an array's item. */
function child(schema: unknown, key: unknown): unknown {
  for (const s of layers(schema)) {
    if (s.entries && typeof key === 'string') return s.entries[key]
    if (s.item && typeof key === 'number') return s.item
  }
  return undefined
}

/** The innermost named field along an issue's path. */
function labelAt(schema: unknown, path: readonly { key: unknown }[] | undefined): string | undefined {
  let label = fieldLabel(schema)
  let s: unknown = schema
  for (const item of path ?? []) {
    s = child(s, item.key)
    if (s === undefined) break
    label = fieldLabel(s) ?? label
  }
  return label
}

/**
 * Human-readable summary of valibot issues, in Chinese. Given the schema that was checked, a
 * message that does not already name its field is preceded by the field's Chinese name (each
 * field of the shared schemas has one, `v.title`); a schema key (`topic`, `orgName`) is never shown.
 */
export function issuesToMessage(issues: readonly v.BaseIssue<unknown>[], schema?: unknown): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const label = schema === undefined ? undefined : labelAt(schema, i.path)
      return label && !i.message.includes(label) ? `${label}：${i.message}` : i.message
    })
    .join('；')
}
