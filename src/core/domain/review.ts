/**
 * The year's 组织生活会 and 民主评议党员 (docs/review-ballots.md): one cycle per branch and year, each
 * member's 对照检查 / 发言提纲 (or a 书面发言 to be read out), the sealed 民主测评 ballot and the
 * committee's 评定 with feedback.
 */

/** The four grades of 民主评议党员, best first. */
export const REVIEW_GRADES = ['excellent', 'qualified', 'basic', 'unqualified'] as const
export type ReviewGrade = (typeof REVIEW_GRADES)[number]
export const REVIEW_GRADE_LABELS: Record<ReviewGrade, string> = {
  excellent: '优秀',
  qualified: '合格',
  basic: '基本合格',
  unqualified: '不合格',
}

/** The ballot of a cycle: not yet open, open at the 民主评议 meeting, closed (for good: nothing is counted after). */
export const BALLOT_STATES = ['none', 'open', 'closed'] as const
export type BallotState = (typeof BALLOT_STATES)[number]

/** The next states a ballot may move to: opened once, closed once (a paper-only branch closes it unopened). */
export function ballotMayMove(from: BallotState, to: BallotState): boolean {
  if (from === to) return true
  if (from === 'none') return to === 'open' || to === 'closed'
  return from === 'open' && to === 'closed'
}

/** What a member writes before the 组织生活会: 对照检查 / 发言提纲, or a 书面发言 read out when they are away. */
export const PAPER_KINDS = ['statement', 'written'] as const
export type PaperKind = (typeof PAPER_KINDS)[number]
export const PAPER_KIND_LABELS: Record<PaperKind, string> = {
  statement: '对照检查 / 发言提纲',
  written: '书面发言（因故不能到会）',
}

/** Counts of one member's grades, in REVIEW_GRADES order. */
export type GradeCounts = Record<ReviewGrade, number>
export const zeroCounts = (): GradeCounts => ({ excellent: 0, qualified: 0, basic: 0, unqualified: 0 })

/**
 * 优秀 may be at most one third of those assessed: true when the grades recorded exceed it (the
 * committee is warned, never stopped: the 评定 is theirs).
 */
export function tooManyExcellent(grades: readonly (ReviewGrade | null)[], assessed: number): boolean {
  const excellent = grades.filter((g) => g === 'excellent').length
  return assessed > 0 && excellent * 3 > assessed
}

/** The most 优秀 allowed among `assessed` members (one third, rounded down). */
export const excellentLimit = (assessed: number): number => Math.floor(assessed / 3)

/** Said wherever the tally is shown: the 2026 rules forbid a 网络投票 as the basis of the assessment. */
export const TALLY_NOTICE =
  '测评结果仅供支部委员会评定时参考，不作为评定的依据：按照 2026 年有关规定，不得以网络投票结果作为民主评议党员的评定依据。'
