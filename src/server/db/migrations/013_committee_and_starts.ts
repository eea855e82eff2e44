import { sql, type Kysely } from 'kysely'

/**
 * Who is expected follows the type of meeting: members of the branch committee (支部委员) are
 * marked on their row; a branch keeps the day it was set up, so what it owes is judged only from
 * then (a new branch has not failed last month's rules). Existing branches are taken to have
 * started with their organisation. Users and branches get new numbers so devices pull the fields.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('committee', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('branches').addColumn('started_on', 'text').execute()
  await sql`update branches set started_on = (select substr(o.created_at, 1, 10) from organizations o where o.id = branches.org_id)`.execute(
    db,
  )
  for (const table of ['users', 'branches']) {
    await sql`update ${sql.table(table)} set seq = seq + (select value from counters where name = 'seq')`.execute(db)
    await sql`update counters set value = (select max(seq) from ${sql.table(table)}) where name = 'seq' and (select max(seq) from ${sql.table(table)}) > value`.execute(
      db,
    )
  }
}
