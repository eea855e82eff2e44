import * as v from 'valibot'
import { contract } from './contract.ts'
import { Uuid } from '../schemas/common.ts'
import { BALLOT_STATES, REVIEW_GRADES } from '../domain/review.ts'

/**
 * The sealed ballot of 民主评议党员 and what is said of it (docs/review-ballots.md). A ballot is
 * never a synced row: it is sent by `castBallot` and folded at once into the cycle's counts, apart
 * from the set of those who have voted.
 */
const CycleParams = v.object({ id: Uuid })
const Grade = v.picklist(REVIEW_GRADES, '评价等次不正确')
const Count = v.pipe(v.number('票数应为数字'), v.integer('票数应为整数'), v.minValue(0, '票数不能为负'), v.maxValue(1000, '票数过大'))
const Counts = v.strictObject({ excellent: Count, qualified: Count, basic: Count, unqualified: Count })
const SortedIds = v.array(Uuid)

/** One voter's grades of every member assessed (subject id → grade). */
export const castBallot = contract({
  method: 'POST',
  path: '/api/review/cycles/:id/ballot',
  params: CycleParams,
  body: v.strictObject({ grades: v.pipe(v.record(Uuid, Grade), v.title('选票')) }),
  response: v.object({ counted: v.literal(true) }),
})

/** Has the signed-in member voted in this cycle (their other phone, say)? */
export const myBallot = contract({
  method: 'GET',
  path: '/api/review/cycles/:id/my-ballot',
  params: CycleParams,
  response: v.object({ voted: v.boolean(), ballot: v.picklist(BALLOT_STATES) }),
})

/** Who has voted (not what): the committee watches turnout against those signed in. */
export const turnout = contract({
  method: 'GET',
  path: '/api/review/cycles/:id/turnout',
  params: CycleParams,
  response: v.object({ ballot: v.picklist(BALLOT_STATES), voterIds: SortedIds, presentIds: SortedIds, paperBallots: v.number() }),
})

/** The counts per member, phones' and paper ballots' together: to the committee, only once the ballot is closed. */
export const tally = contract({
  method: 'GET',
  path: '/api/review/cycles/:id/tally',
  params: CycleParams,
  response: v.object({
    phoneBallots: v.number(),
    paperBallots: v.number(),
    subjects: v.array(v.object({ memberId: Uuid, counts: Counts })),
  }),
})

/** Paper ballots counted by hand, entered by the secretary as a tally (its id makes a retry count once). */
export const addPaperTally = contract({
  method: 'POST',
  path: '/api/review/cycles/:id/paper-tallies',
  params: CycleParams,
  body: v.strictObject({
    id: Uuid,
    ballots: v.pipe(
      v.number('张数应为数字'),
      v.integer('张数应为整数'),
      v.minValue(1, '至少 1 张'),
      v.maxValue(1000, '张数过大'),
      v.title('纸质选票张数'),
    ),
    counts: v.pipe(v.record(Uuid, Counts), v.title('计票结果')),
  }),
  response: v.object({ paperBallots: v.number() }),
})
