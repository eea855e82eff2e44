import { createHttpClient, type HttpClient } from '../../api/http.ts'
import type { BodyOf, ResponseOf } from '../../../core/contracts/contract.ts'
import type * as review from '../../../core/contracts/review.ts'

const at = (path: string, id: string) => path.replace(':id', encodeURIComponent(id))

/** The sealed ballot's calls (contracts/review.ts): loaded with the review pages, not with the app shell. */
export function reviewEndpoints(http: HttpClient) {
  return {
    castBallot: (cycleId: string, body: BodyOf<typeof review.castBallot>) =>
      http.post<ResponseOf<typeof review.castBallot>>(at('/api/review/cycles/:id/ballot', cycleId), body),
    myBallot: (cycleId: string) => http.get<ResponseOf<typeof review.myBallot>>(at('/api/review/cycles/:id/my-ballot', cycleId)),
    turnout: (cycleId: string) => http.get<ResponseOf<typeof review.turnout>>(at('/api/review/cycles/:id/turnout', cycleId)),
    tally: (cycleId: string) => http.get<ResponseOf<typeof review.tally>>(at('/api/review/cycles/:id/tally', cycleId)),
    addPaperTally: (cycleId: string, body: BodyOf<typeof review.addPaperTally>) =>
      http.post<ResponseOf<typeof review.addPaperTally>>(at('/api/review/cycles/:id/paper-tallies', cycleId), body),
  }
}

export type ReviewApi = ReturnType<typeof reviewEndpoints>

/**
 * The review API client (same origin). Here, not in src/client/api/: everything there is bundled
 * into the app shell, and this is loaded with the review pages only.
 */
export const reviewApi = reviewEndpoints(createHttpClient())
