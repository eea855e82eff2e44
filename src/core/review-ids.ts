import { v5 as uuidv5 } from 'uuid'

const REVIEW_NAMESPACE = '2b7d0c4e-51a9-4f7e-8c3d-9e6a1f0b5d27'

/**
 * A member's one paper (对照检查 or 书面发言) and one grade per cycle have ids derived from both
 * (UUIDv5): two phones of the author, or two committee members grading at once, write the same
 * row. (Kept apart from ids.ts so the app shell does not load SHA-1.)
 */
export const reviewPaperId = (cycleId: string, authorId: string): string => uuidv5(`paper/${cycleId}/${authorId}`, REVIEW_NAMESPACE)
export const reviewGradeId = (cycleId: string, memberId: string): string => uuidv5(`grade/${cycleId}/${memberId}`, REVIEW_NAMESPACE)
