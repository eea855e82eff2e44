import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { REVIEW_GRADES, zeroCounts, type GradeCounts } from '../../core/domain/review.ts'
import { idList } from '../db/json.ts'

/**
 * The sealed ballot box of a cycle (docs/review-ballots.md): `review_voters` holds who has voted as
 * one sorted id list, `review_counts` the counts as one canonical JSON object; each ballot rewrites
 * both rows whole in one transaction. There is no per-ballot row, id, time or order anywhere.
 */
export type CountsBySubject = Record<string, GradeCounts>

/** Canonical JSON of the counts: subjects sorted, grades in REVIEW_GRADES order (equal counts, equal text). */
export function countsJson(counts: CountsBySubject): string {
  const out: Record<string, Record<string, number>> = {}
  for (const id of Object.keys(counts).sort()) {
    const c = counts[id] ?? zeroCounts()
    out[id] = Object.fromEntries(REVIEW_GRADES.map((g) => [g, c[g]]))
  }
  return JSON.stringify(out)
}

function parseCounts(json: string): CountsBySubject {
  const raw = JSON.parse(json) as Record<string, Partial<GradeCounts>>
  const out: CountsBySubject = {}
  for (const [id, c] of Object.entries(raw)) {
    const counts = zeroCounts()
    for (const g of REVIEW_GRADES) counts[g] = Number(c[g] ?? 0)
    out[id] = counts
  }
  return out
}

/** The box of a cycle whose ballot has just left 'none': nobody has voted, every member assessed at zero. */
export async function openBallotBox(trx: Kysely<Database>, orgId: string, cycleId: string, subjectIds: readonly string[]): Promise<void> {
  const counts = Object.fromEntries(subjectIds.map((id) => [id, zeroCounts()]))
  await trx.deleteFrom('review_voters').where('cycle_id', '=', cycleId).execute()
  await trx.deleteFrom('review_counts').where('cycle_id', '=', cycleId).execute()
  await trx.insertInto('review_voters').values({ cycle_id: cycleId, org_id: orgId, voter_ids: '[]' }).execute()
  await trx
    .insertInto('review_counts')
    .values({ cycle_id: cycleId, org_id: orgId, counts: countsJson(counts) })
    .execute()
}

/**
 * Takes the cycle's box for this transaction (a no-op write: PostgreSQL locks the row, SQLite the
 * database), so two ballots never read the same counts. Null when the cycle has no box.
 */
export async function lockBallotBox(trx: Kysely<Database>, cycleId: string): Promise<{ voters: string[]; counts: CountsBySubject } | null> {
  const locked = await trx
    .updateTable('review_voters')
    .set((eb) => ({ voter_ids: eb.ref('voter_ids') }))
    .where('cycle_id', '=', cycleId)
    .executeTakeFirst()
  if (Number(locked.numUpdatedRows) === 0) return null
  return readBallotBox(trx, cycleId)
}

export async function readBallotBox(db: Kysely<Database>, cycleId: string): Promise<{ voters: string[]; counts: CountsBySubject } | null> {
  const voters = await db.selectFrom('review_voters').select('voter_ids').where('cycle_id', '=', cycleId).executeTakeFirst()
  const counts = await db.selectFrom('review_counts').select('counts').where('cycle_id', '=', cycleId).executeTakeFirst()
  if (!voters || !counts) return null
  return { voters: idList(voters.voter_ids), counts: parseCounts(counts.counts) }
}

/** Writes the box back whole: voters sorted (no arrival order), counts canonical. */
export async function writeBallotBox(
  trx: Kysely<Database>,
  cycleId: string,
  voters: readonly string[],
  counts: CountsBySubject,
): Promise<void> {
  await trx
    .updateTable('review_voters')
    .set({ voter_ids: JSON.stringify([...voters].sort()) })
    .where('cycle_id', '=', cycleId)
    .execute()
  await trx
    .updateTable('review_counts')
    .set({ counts: countsJson(counts) })
    .where('cycle_id', '=', cycleId)
    .execute()
}

/** The paper tallies entered for a cycle. */
export async function paperTallies(db: Kysely<Database>, cycleId: string): Promise<{ ballots: number; counts: CountsBySubject }[]> {
  const rows = await db.selectFrom('review_paper_tallies').select(['ballots', 'counts']).where('cycle_id', '=', cycleId).execute()
  return rows.map((r) => ({ ballots: Number(r.ballots), counts: parseCounts(r.counts) }))
}

/** Adds a paper tally once (its id makes a retry a no-op); false when that id was entered before. */
export async function insertPaperTally(
  trx: Kysely<Database>,
  row: { id: string; orgId: string; cycleId: string; ballots: number; counts: CountsBySubject; enteredBy: string; createdAt: string },
): Promise<boolean> {
  const seen = await trx.selectFrom('review_paper_tallies').select('cycle_id').where('id', '=', row.id).executeTakeFirst()
  if (seen) return false
  await trx
    .insertInto('review_paper_tallies')
    .values({
      id: row.id,
      org_id: row.orgId,
      cycle_id: row.cycleId,
      ballots: row.ballots,
      counts: countsJson(row.counts),
      entered_by: row.enteredBy,
      created_at: row.createdAt,
    })
    .execute()
  return true
}
