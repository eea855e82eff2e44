import * as v from 'valibot'
import { contract } from './contract.ts'
import { Uuid } from '../schemas/common.ts'

/**
 * 述职评议 pack: a branch's year (or the organ's roll-up of every branch) generated from what was
 * recorded, as facts with the rule they are held against: no scores, no ranking, no usage figures.
 * The same facts are served as JSON (the printable page) and as a workbook.
 */
const Fact = v.object({
  label: v.string(),
  value: v.string(),
  /** The rule cited, or what a figure is made of. */
  note: v.optional(v.string()),
})
const Section = v.object({ title: v.string(), facts: v.array(Fact) })
export const YearReport = v.object({
  title: v.string(),
  year: v.number(),
  /** When it was generated (ISO); everything recorded up to then is in it. */
  generatedAt: v.string(),
  sections: v.array(Section),
})
export type YearReport = v.InferOutput<typeof YearReport>
export type YearFact = v.InferOutput<typeof Fact>
export type YearSection = v.InferOutput<typeof Section>

/** A branch, or `org` for the organ's roll-up (administrators). */
const Scope = v.union([Uuid, v.literal('org')], '请选择党支部')
const Year = v.pipe(
  v.string(),
  v.regex(/^\d{4}$/, '年份不正确'),
  v.transform(Number),
  v.minValue(2000, '年份不正确'),
  v.maxValue(2100, '年份不正确'),
)

export const yearReport = contract({
  method: 'GET',
  path: '/api/year-report/:scope/:year',
  params: v.object({ scope: Scope, year: Year }),
  response: YearReport,
})
/** The same facts as a workbook: `<year>.xlsx`. */
export const yearReportXlsx = contract({
  method: 'GET',
  path: '/api/year-report-xlsx/:scope/:file',
  params: v.object({ scope: Scope, file: v.pipe(v.string(), v.regex(/^\d{4}\.xlsx$/, '年份不正确')) }),
})
