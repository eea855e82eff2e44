import type { Kysely } from 'kysely'

/**
 * The year's 组织生活会 and 民主评议党员 (docs/review-ballots.md): cycles, members' papers and the
 * committee's grades (synced tables), and the sealed ballot box: one row per cycle of who has voted
 * (a sorted id list) and one of the counts, with no per-ballot row, no time and no order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('review_cycles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('opens_on', 'text', (c) => c.notNull())
    .addColumn('life_meeting_on', 'text')
    .addColumn('assessment_on', 'text')
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text')
    .addColumn('ballot', 'text', (c) => c.notNull())
    .addColumn('subject_ids', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('review_cycles_org_seq').on('review_cycles').columns(['org_id', 'seq']).execute()
  await db.schema.createIndex('review_cycles_branch_year').on('review_cycles').columns(['branch_id', 'year']).unique().execute()

  await db.schema
    .createTable('review_papers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('handed_in_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('review_papers_org_seq').on('review_papers').columns(['org_id', 'seq']).execute()

  await db.schema
    .createTable('review_grades')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('grade', 'text')
    .addColumn('feedback', 'text', (c) => c.notNull())
    .addColumn('graded_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('review_grades_org_seq').on('review_grades').columns(['org_id', 'seq']).execute()

  // The ballot box: who has voted, and the counts, each one row per cycle rewritten whole by every
  // ballot (no per-ballot row, id, time or order that could link the two).
  await db.schema
    .createTable('review_voters')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('voter_ids', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('review_counts')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .execute()
  // Paper ballots counted by hand: a tally per entry (not secret: it is already a count).
  await db.schema
    .createTable('review_paper_tallies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('ballots', 'integer', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}
