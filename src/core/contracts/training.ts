import * as v from 'valibot'
import { contract } from './contract.ts'
import { IsoDate } from '../schemas/common.ts'
import { IdParams } from '../schemas/people.ts'
import { MEETING_TYPES } from '../domain/meetings.ts'
import { HOUR_LENGTHS, type TrainingFlags as DomainFlags, type TrainingSettings as DomainSettings } from '../domain/training.ts'

/** 学时: the organisation's training settings, members' flags, the 预备期满 list, and the yearly 学时 ledger. */
export const TrainingSettings = v.object({
  types: v.pipe(v.array(v.picklist(MEETING_TYPES, '会议类型不正确')), v.maxLength(MEETING_TYPES.length, '会议类型过多')),
  minutesPerHour: v.picklist(HOUR_LENGTHS, '每学时应为45或60分钟'),
})
export const TrainingFlags = v.object({
  cadre: v.boolean('请选择是否为乡科级及以下干部'),
  exempt: v.boolean('请选择是否年老体弱或患有重病'),
})
const ProbationDue = v.object({ id: v.string(), name: v.string(), endsOn: IsoDate, inDays: v.number() })

const TrainingReply = v.object({
  settings: TrainingSettings,
  /** False: the defaults (no administrator has set them). */
  custom: v.boolean(),
  /** Flags by person: one's own for a member; the branch's for its secretary; everyone's for administrators. */
  flags: v.record(v.string(), TrainingFlags),
  /** 预备党员 whose probation ends within 30 days (or ended, 转正 not yet recorded): for managers only. */
  probations: v.array(ProbationDue),
})
export type TrainingReply = v.InferOutput<typeof TrainingReply>

export const training = contract({ method: 'GET', path: '/api/org/training', response: TrainingReply })
/** An administrator sets which meeting types are training and the length of one 学时; null restores the defaults. */
export const setTraining = contract({
  method: 'POST',
  path: '/api/admin/training',
  body: v.object({ settings: v.nullable(TrainingSettings) }),
  response: TrainingReply,
})
/** The secretary of the person's branch (or an administrator) marks a cadre, or an old, frail or seriously ill member. */
export const setTrainingFlags = contract({
  method: 'POST',
  path: '/api/training/flags/:id',
  params: IdParams,
  body: TrainingFlags,
  response: v.object({ ok: v.literal(true) }),
})
/** A branch's 学时台账 of one year: `<year>.xlsx`. */
export const trainingLedger = contract({
  method: 'GET',
  path: '/api/training-ledger/:scope/:file',
  params: v.object({
    scope: v.union([IdParams.entries.id, v.literal('leadership')], '请选择党支部'),
    file: v.pipe(v.string(), v.regex(/^\d{4}\.xlsx$/, '年份不正确')),
  }),
})

// The wire's settings and flags are the domain's, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
export const SETTINGS_MATCH_DOMAIN: Same<v.InferOutput<typeof TrainingSettings>, DomainSettings> = true
export const FLAGS_MATCH_DOMAIN: Same<v.InferOutput<typeof TrainingFlags>, DomainFlags> = true
