import type { ExpressionBuilder, Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { formatCursor, parseCursor, type Change, type PullResponse, type ResetReason } from '../../core/sync/protocol.ts'
import { SYNCED_TABLES, type SyncedTable } from '../../core/sync/tables.ts'
import { SCHEMA_VERSION } from '../../core/sync/schema-version.ts'
import { servedChange, servedTables, type ServedSchema } from './versions.ts'
import type { Viewer } from '../lib/viewer.ts'
import {
  attendanceToWire,
  branchToWire,
  followupToWire,
  householdToWire,
  makeupToWire,
  meetingToWire,
  visitToWire,
  oathRenewalToWire,
  reminderSettingsToWire,
  studyToWire,
  USER_WIRE_COLUMNS,
  userToWire,
} from './wire.ts'

type Scope<T extends keyof Database> = (eb: ExpressionBuilder<Database, T>) => ReturnType<ExpressionBuilder<Database, T>['and']>

/**
 * A member's own records: the member's own; their branch's for its secretary (read-only);
 * the organisation's for administrators.
 */
function ownedRows(v: Viewer) {
  return (eb: ExpressionBuilder<Database, 'study_records' | 'oath_renewals'>) => {
    if (v.role === 'admin') return eb.and([eb('org_id', '=', v.orgId)])
    if (v.role === 'secretary' && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('owner_id', '=', v.id), eb('branch_id', '=', v.branchId)])])
    return eb.and([eb('owner_id', '=', v.id)])
  }
}

/** What each role may read, per table. The only place read scopes are defined. */
const scopes: { [K in SyncedTable]: (v: Viewer) => Scope<K> } = {
  branches: (v) => (eb) => eb.and([eb('org_id', '=', v.orgId)]),
  users: (v) => (eb) =>
    v.role === 'admin'
      ? eb.and([eb('org_id', '=', v.orgId)])
      : eb.and([eb('org_id', '=', v.orgId), eb.or([eb('id', '=', v.id), eb('branch_id', '=', v.branchId)])]),
  study_records: (v) => ownedRows(v),
  oath_renewals: (v) => ownedRows(v),
  /** Reminder settings are the person's own business only. */
  reminder_settings: (v) => (eb) => eb.and([eb('id', '=', v.id)]),
  /** Meetings: those one is expected at; a secretary also all of their branch's; administrators all. */
  meetings: (v) => (eb) => {
    const expected = eb('expected_ids', 'like', `%"${v.id}"%`)
    if (v.role === 'admin') return eb.and([eb('org_id', '=', v.orgId)])
    if (v.role === 'secretary' && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), expected])])
    return eb.and([eb('org_id', '=', v.orgId), expected])
  },
  /** Attendance and 补学: one's own; the meeting's branch for its secretary; everything for administrators. */
  attendance: (v) => meetingRows(v),
  makeups: (v) => meetingRows(v),
  /** Households (personal data): their linked members, the branch's secretary, administrators. */
  households: (v) => (eb) => {
    const linked = eb('member_ids', 'like', `%"${v.id}"%`)
    if (v.role === 'admin') return eb.and([eb('org_id', '=', v.orgId)])
    if (v.role === 'secretary' && v.branchId) return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), linked])])
    return eb.and([eb('org_id', '=', v.orgId), linked])
  },
  /** Visits: those who went, the members linked to the household, the branch's secretary, administrators. */
  visits: (v) => (eb) => {
    const went = eb('member_ids', 'like', `%"${v.id}"%`)
    const linked = eb(
      'household_id',
      'in',
      eb.selectFrom('households').select('households.id').where('households.member_ids', 'like', `%"${v.id}"%`),
    )
    if (v.role === 'admin') return eb.and([eb('org_id', '=', v.orgId)])
    if (v.role === 'secretary' && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), went, linked])])
    return eb.and([eb('org_id', '=', v.orgId), eb.or([went, linked])])
  },
  /** Follow-ups: their owner, those who went on the visit, the branch's secretary, administrators. */
  followups: (v) => (eb) => {
    const mine = eb('owner_id', '=', v.id)
    const went = eb('visit_id', 'in', eb.selectFrom('visits').select('visits.id').where('visits.member_ids', 'like', `%"${v.id}"%`))
    if (v.role === 'admin') return eb.and([eb('org_id', '=', v.orgId)])
    if (v.role === 'secretary' && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('branch_id', '=', v.branchId), mine, went])])
    return eb.and([eb('org_id', '=', v.orgId), eb.or([mine, went])])
  },
}

export function householdScope(v: Viewer): Scope<'households'> {
  return scopes.households(v)
}
export function visitScope(v: Viewer): Scope<'visits'> {
  return scopes.visits(v)
}
export function followupScope(v: Viewer): Scope<'followups'> {
  return scopes.followups(v)
}

function meetingRows(v: Viewer) {
  return (eb: ExpressionBuilder<Database, 'attendance' | 'makeups'>) => {
    if (v.role === 'admin') return eb.and([eb('org_id', '=', v.orgId)])
    if (v.role === 'secretary' && v.branchId)
      return eb.and([eb('org_id', '=', v.orgId), eb.or([eb('member_id', '=', v.id), eb('branch_id', '=', v.branchId)])])
    return eb.and([eb('member_id', '=', v.id)])
  }
}

export function meetingScope(v: Viewer): Scope<'meetings'> {
  return scopes.meetings(v)
}
export function attendanceScope(v: Viewer): Scope<'attendance'> {
  return scopes.attendance(v)
}
export function makeupScope(v: Viewer): Scope<'makeups'> {
  return scopes.makeups(v)
}

export function studyScope(v: Viewer): Scope<'study_records'> {
  return scopes.study_records(v)
}

export function oathScope(v: Viewer): Scope<'oath_renewals'> {
  return scopes.oath_renewals(v)
}

export function userScope(v: Viewer): Scope<'users'> {
  return scopes.users(v)
}

type Source = (db: Kysely<Database>, viewer: Viewer, after: number, limit: number) => Promise<Change[]>

/** Each synced table's changes after a sequence number, as the viewer may see them, in wire shape. */
const sources: { [K in SyncedTable]: Source } = {
  branches: async (db, viewer, after, limit) => {
    const rows = await db
      .selectFrom('branches')
      .selectAll()
      .where('seq', '>', after)
      .where(scopes.branches(viewer))
      .orderBy('seq')
      .limit(limit)
      .execute()
    const groups = rows.length
      ? await db
          .selectFrom('party_groups')
          .select(['id', 'name', 'branch_id'])
          .where(
            'branch_id',
            'in',
            rows.map((r) => r.id),
          )
          .where('archived', '=', 0)
          .orderBy('id')
          .execute()
      : []
    return rows.map((r): Change => ({
      table: 'branches',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: false,
      row: {
        ...branchToWire(
          r,
          groups.filter((g) => g.branch_id === r.id),
        ),
      },
    }))
  },
  users: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('users')
        .select([...USER_WIRE_COLUMNS, 'seq'])
        .where('seq', '>', after)
        .where(scopes.users(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({ table: 'users', rowId: r.id, seq: Number(r.seq), deleted: false, row: { ...userToWire(r, viewer) } })),
  study_records: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('study_records')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.study_records(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({
      table: 'study_records',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: r.deleted === 1,
      row: r.deleted === 1 ? null : { ...studyToWire(r) },
    })),
  oath_renewals: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('oath_renewals')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.oath_renewals(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({
      table: 'oath_renewals',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: r.deleted === 1,
      row: r.deleted === 1 ? null : { ...oathRenewalToWire(r) },
    })),
  reminder_settings: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('reminder_settings')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.reminder_settings(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({
      table: 'reminder_settings',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: false,
      row: { ...reminderSettingsToWire(r) },
    })),
  meetings: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('meetings')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.meetings(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({
      table: 'meetings',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: r.deleted === 1,
      row: r.deleted === 1 ? null : { ...meetingToWire(r, viewer) },
    })),
  attendance: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('attendance')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.attendance(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({ table: 'attendance', rowId: r.id, seq: Number(r.seq), deleted: false, row: { ...attendanceToWire(r) } })),
  makeups: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('makeups')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.makeups(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({
      table: 'makeups',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: r.deleted === 1,
      row: r.deleted === 1 ? null : { ...makeupToWire(r) },
    })),
  households: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('households')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.households(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({
      table: 'households',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: r.deleted === 1,
      row: r.deleted === 1 ? null : { ...householdToWire(r) },
    })),
  visits: async (db, viewer, after, limit) =>
    (
      await db.selectFrom('visits').selectAll().where('seq', '>', after).where(scopes.visits(viewer)).orderBy('seq').limit(limit).execute()
    ).map((r): Change => ({
      table: 'visits',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: r.deleted === 1,
      row: r.deleted === 1 ? null : { ...visitToWire(r) },
    })),
  followups: async (db, viewer, after, limit) =>
    (
      await db
        .selectFrom('followups')
        .selectAll()
        .where('seq', '>', after)
        .where(scopes.followups(viewer))
        .orderBy('seq')
        .limit(limit)
        .execute()
    ).map((r): Change => ({
      table: 'followups',
      rowId: r.id,
      seq: Number(r.seq),
      deleted: r.deleted === 1,
      row: r.deleted === 1 ? null : { ...followupToWire(r) },
    })),
}

async function changesOf(
  db: Kysely<Database>,
  viewer: Viewer,
  after: number,
  limit: number,
  tables: readonly SyncedTable[],
): Promise<Change[]> {
  return (await Promise.all(tables.map((t) => sources[t](db, viewer, after, limit)))).flat()
}

/**
 * One page of changes after the client's cursor, in server sequence order, limited to what the
 * viewer may see and to the tables and fields of the app's schema version (sync/versions.ts).
 * A cursor from another database, or ahead of this one (a restored backup), or served under an
 * older schema than the app now has, gets `reset: true` and the first page.
 */
export async function pull(
  db: Kysely<Database>,
  generation: { epoch: string; previousEpochs: ReadonlySet<string> },
  viewer: Viewer,
  cursor: string,
  limit: number,
  schema: ServedSchema = { version: SCHEMA_VERSION, catalogue: null },
): Promise<PullResponse> {
  const { epoch } = generation
  const counter = await db.selectFrom('counters').select('value').where('name', '=', 'seq').executeTakeFirstOrThrow()
  const head = Number(counter.value)
  const parsed = cursor === '' ? { epoch, seq: 0, scope: viewer.scopeVersion, schema: schema.version } : parseCursor(cursor)
  // A cursor of an earlier generation of this database (or ahead of it): the server was restored
  // and lost what came after the backup; the phone re-pulls and sends back what it wrote.
  // A person moved to another branch or given another role re-pulls from the start: rows they
  // may no longer see leave their devices (unsent changes are kept and pushed first). An app
  // updated since its cursor was served receives what was held back from its older version.
  const resetReason: ResetReason | null = !parsed
    ? 'database'
    : parsed.epoch !== epoch
      ? generation.previousEpochs.has(parsed.epoch)
        ? 'restored'
        : 'database'
      : parsed.seq > head
        ? 'restored'
        : parsed.scope !== viewer.scopeVersion
          ? 'scope'
          : parsed.schema < schema.version
            ? 'schema'
            : null
  const reset = resetReason !== null
  const after = reset ? 0 : (parsed?.seq ?? 0)

  // Tables the app does not know are not read: their rows are held back until it updates.
  const all = (await changesOf(db, viewer, after, limit + 1, servedTables(schema, SYNCED_TABLES))).sort((a, b) => a.seq - b.seq)
  const page = all.slice(0, limit)
  const hasMore = all.length > limit
  const last = page.at(-1)?.seq ?? after
  const next = formatCursor(epoch, hasMore ? last : Math.max(last, head), viewer.scopeVersion, schema.version)
  return { reset, ...(resetReason && { resetReason }), cursor: next, hasMore, changes: page.map((c) => servedChange(schema, c)) }
}
