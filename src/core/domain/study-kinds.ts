/** Kinds of study named in the work plan (see docs: domain guide). Order is the display order. */
export const STUDY_KINDS = [
  'first_topic',
  'study_group',
  'branch_study',
  'self_study',
  'party_lesson',
  'lecture',
  'warning_education',
  'discipline_education',
  'xuexi_qiangguo',
] as const

export type StudyKind = (typeof STUDY_KINDS)[number]

export const STUDY_KIND_LABELS: Record<StudyKind, string> = {
  first_topic: '第一议题',
  study_group: '中心组学习',
  branch_study: '支部集中学习',
  self_study: '个人自学',
  party_lesson: '党课',
  lecture: '清风大讲堂',
  warning_education: '警示教育',
  discipline_education: '纪律教育',
  xuexi_qiangguo: '学习强国',
}
