import * as v from 'valibot'
import { IsoDate, titled, Uuid } from './common.ts'
import { BALLOT_STATES, PAPER_KINDS, REVIEW_GRADES } from '../domain/review.ts'

/**
 * The year's review (组织生活会 and 民主评议党员) as its three synced tables travel and live on the
 * phone. The sealed ballots are not among them: they travel by their own route (contracts/review.ts)
 * and are never stored as rows (docs/review-ballots.md).
 */

const Timestamp = v.pipe(v.string('时间应为文本'), v.isoTimestamp('时间格式不正确'))
const Text = (max: number, what: string) => v.pipe(v.string(`${what}应为文本`), v.maxLength(max, `${what}最多 ${max} 字`), v.title(what))

/** What the branch's secretary sets when opening (and editing) the year's cycle. */
export const reviewCycleFields = {
  branchId: titled('党支部', Uuid),
  year: v.pipe(
    v.number('年度应为数字'),
    v.integer('年度应为整数'),
    v.minValue(2000, '年度不正确'),
    v.maxValue(2100, '年度不正确'),
    v.title('年度'),
  ),
  opensOn: titled('征求意见开始日期', IsoDate),
  lifeMeetingOn: titled('组织生活会日期', v.nullable(IsoDate)),
  assessmentOn: titled('民主评议日期', v.nullable(IsoDate)),
  prompt: Text(2000, '征求意见'),
  /** The 民主评议 meeting: those signed in to it (present) may vote. */
  meetingId: titled('民主评议会议', v.nullable(Uuid)),
  ballot: titled('投票状态', v.picklist(BALLOT_STATES, '投票状态不正确')),
  createdAt: titled('创建时间', Timestamp),
}
export const ReviewCycle = v.object({
  id: Uuid,
  orgId: Uuid,
  ...reviewCycleFields,
  /** The members assessed, fixed when the ballot opened (empty before). */
  subjectIds: v.array(Uuid),
  closedAt: v.nullable(Timestamp),
  updatedAt: Timestamp,
})
export type ReviewCycle = v.InferOutput<typeof ReviewCycle>

/** A member's 对照检查 / 发言提纲 or 书面发言: theirs alone until handed in. */
export const reviewPaperFields = {
  cycleId: titled('年度评议', Uuid),
  kind: titled('类别', v.picklist(PAPER_KINDS, '类别不正确')),
  text: Text(20000, '内容'),
  /** true: hand it in (交给支部); never taken back. */
  handedIn: titled('交给支部', v.boolean('交给支部应为是/否')),
  createdAt: titled('创建时间', Timestamp),
}
export const ReviewPaper = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: Uuid,
  cycleId: Uuid,
  authorId: Uuid,
  kind: reviewPaperFields.kind,
  text: v.string(),
  handedInAt: v.nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type ReviewPaper = v.InferOutput<typeof ReviewPaper>

/** The committee's 评定 of one member, with the feedback the member reads. */
export const reviewGradeFields = {
  cycleId: titled('年度评议', Uuid),
  memberId: titled('党员', Uuid),
  grade: titled('评定等次', v.nullable(v.picklist(REVIEW_GRADES, '评定等次不正确'))),
  feedback: Text(2000, '反馈意见'),
}
export const ReviewGrade = v.object({
  id: Uuid,
  orgId: Uuid,
  branchId: Uuid,
  ...reviewGradeFields,
  gradedBy: v.nullable(Uuid),
  updatedAt: Timestamp,
})
export type ReviewGrade = v.InferOutput<typeof ReviewGrade>
