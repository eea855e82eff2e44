import type { SyncedRows, SyncedTable } from './tables.ts'
import { LEGACY_SCHEMA_VERSION } from './schema-header.ts'

/**
 * Which synced tables and fields an app understands (docs/sync.md, "Versions"). Every sync request
 * carries the app's schema version in the `X-Suixing-Schema` header; the server sends an older app
 * only the tables and fields of its version, and delivers what it held back once the app updates.
 *
 * A new synced table, or a new field of one: add an entry to SCHEMA_HISTORY with what it adds and
 * bump SCHEMA_VERSION (schema-header.ts, apart so that the app's first screen does not carry this
 * history). Never edit an entry that has been released: apps in the field rely on it.
 */
export { LEGACY_SCHEMA_VERSION, SCHEMA_HEADER, SCHEMA_VERSION } from './schema-header.ts'

/** Pulled fields per table (the names of the wire entities in schemas/entities.ts). */
export type TableFields = { readonly [K in SyncedTable]?: readonly (keyof SyncedRows[K] & string)[] }

export interface SchemaStep {
  /** 1, 2, 3…: one more than the entry before. */
  readonly version: number
  /** Tables this version added (with every field) and fields it added to tables an earlier version had. */
  readonly added: TableFields
  /** Fields a mutation may carry that are never pulled (a sign-in's scanned code). */
  readonly writeOnly?: { readonly [K in SyncedTable]?: readonly string[] }
  readonly note: string
}

export const SCHEMA_HISTORY: readonly SchemaStep[] = [
  {
    version: 1,
    note: 'every synced table and field when schema versions began',
    added: {
      branches: ['id', 'orgId', 'name', 'archived'],
      users: ['id', 'orgId', 'branchId', 'name', 'role', 'removed', 'joinedPartyOn', 'fullMemberOn'],
      study_records: [
        'id',
        'ownerId',
        'branchId',
        'orgId',
        'kind',
        'title',
        'date',
        'minutes',
        'notes',
        'sourceUrl',
        'createdAt',
        'updatedAt',
        'deleted',
      ],
      oath_renewals: ['id', 'ownerId', 'branchId', 'orgId', 'date', 'createdAt', 'deleted'],
      reminder_settings: [
        'id',
        'orgId',
        'birthday',
        'branchWeekAhead',
        'meetingTomorrow',
        'studyGap',
        'unsynced',
        'quietStart',
        'quietEnd',
        'updatedAt',
      ],
      meetings: [
        'id',
        'orgId',
        'branchId',
        'type',
        'topic',
        'startsAt',
        'durationMinutes',
        'place',
        'organiserId',
        'speaker',
        'expectedIds',
        'agenda',
        'minutes',
        'talkWithId',
        'photoIds',
        'createdAt',
        'signKey',
        'updatedAt',
        'deleted',
      ],
      attendance: [
        'id',
        'orgId',
        'branchId',
        'meetingId',
        'memberId',
        'status',
        'method',
        'signedAt',
        'leaveReason',
        'leaveState',
        'markedBy',
        'note',
        'updatedAt',
      ],
      makeups: [
        'id',
        'orgId',
        'branchId',
        'memberId',
        'meetingId',
        'content',
        'date',
        'notes',
        'createdAt',
        'confirmedBy',
        'confirmedAt',
        'updatedAt',
        'deleted',
      ],
      households: [
        'id',
        'orgId',
        'branchId',
        'name',
        'address',
        'village',
        'contact',
        'situation',
        'needs',
        'memberIds',
        'createdAt',
        'updatedAt',
        'deleted',
      ],
      visits: [
        'id',
        'orgId',
        'branchId',
        'householdId',
        'place',
        'visitedAt',
        'memberIds',
        'findings',
        'problems',
        'location',
        'photoIds',
        'createdAt',
        'createdBy',
        'updatedAt',
        'deleted',
      ],
      followups: [
        'id',
        'orgId',
        'branchId',
        'householdId',
        'visitId',
        'text',
        'ownerId',
        'dueOn',
        'createdAt',
        'closedAt',
        'closeNote',
        'updatedAt',
        'deleted',
      ],
    },
    writeOnly: { attendance: ['scan'] },
  },
  {
    version: 2,
    note: 'expected people follow the type of meeting (branch committee, party group); a branch is judged from the day it was set up',
    added: {
      branches: ['startedOn', 'groups'],
      users: ['groupId', 'committee'],
    },
  },
  {
    version: 3,
    note: '党费: declarations and receipts; a branch names its 收缴员',
    added: {
      branches: ['duesCollectorId'],
      dues_profiles: ['id', 'orgId', 'branchId', 'memberId', 'category', 'baseFen', 'fromMonth', 'checkedOn', 'declaredBy', 'updatedAt'],
      dues_payments: [
        'id',
        'orgId',
        'branchId',
        'memberId',
        'kind',
        'months',
        'amountFen',
        'method',
        'receivedOn',
        'notes',
        'createdAt',
        'category',
        'baseFen',
        'monthlyFen',
        'collectorId',
        'receiptNo',
        'updatedAt',
        'deleted',
      ],
    },
  },
  {
    version: 4,
    note: '其他培训 (outside training with its certificate, confirmed by the secretary) for 学时',
    added: {
      outside_trainings: [
        'id',
        'orgId',
        'branchId',
        'memberId',
        'kind',
        'title',
        'organiser',
        'startOn',
        'endOn',
        'minutes',
        'photoIds',
        'notes',
        'createdAt',
        'confirmedBy',
        'confirmedAt',
        'updatedAt',
        'deleted',
      ],
    },
  },
  {
    version: 5,
    note: '投诉建议 (feedback); a household records whether and by whom it was told (告知)',
    added: {
      feedback: [
        'id',
        'orgId',
        'branchId',
        'authorId',
        'category',
        'text',
        'anonymous',
        'createdAt',
        'answer',
        'answeredBy',
        'answeredAt',
        'updatedAt',
        'deleted',
      ],
      households: ['informedOn', 'informedBy'],
    },
  },
  {
    version: 6,
    note: 'the channels a reminder may take (推送, 企业微信, 短信) and their order',
    added: {
      reminder_settings: ['channels'],
    },
  },
  {
    version: 7,
    note: 'a 谈心谈话 says its kind (谈心, 提醒谈话, 廉政谈话, 任前谈话); its notes reach only the two who talked',
    added: { meetings: ['talkKind'] },
  },
  {
    version: 8,
    note: "整改清单: the branch's rectification items after its annual review, owned, dated and closed with a note",
    added: {
      rectifications: [
        'id',
        'orgId',
        'branchId',
        'year',
        'text',
        'ownerId',
        'dueOn',
        'createdAt',
        'closedAt',
        'closedBy',
        'closeNote',
        'updatedAt',
        'deleted',
      ],
    },
  },
  {
    version: 9,
    note: "the year's 组织生活会 and 民主评议党员: cycles, members' papers (private until handed in), the committee's grades",
    added: {
      review_cycles: [
        'id',
        'orgId',
        'branchId',
        'year',
        'opensOn',
        'lifeMeetingOn',
        'assessmentOn',
        'prompt',
        'meetingId',
        'ballot',
        'subjectIds',
        'closedAt',
        'createdAt',
        'updatedAt',
      ],
      review_papers: ['id', 'orgId', 'branchId', 'cycleId', 'authorId', 'kind', 'text', 'handedInAt', 'createdAt', 'updatedAt'],
      review_grades: ['id', 'orgId', 'branchId', 'cycleId', 'memberId', 'grade', 'feedback', 'gradedBy', 'updatedAt'],
    },
    writeOnly: { review_papers: ['handedIn'] },
  },
]

/** The tables and fields of one schema version: what an app of that version understands. */
export interface SchemaCatalogue {
  /** The version described (at most the history's last). */
  version: number
  /** Pulled fields per table; a table absent here is unknown to that version. */
  pulled: ReadonlyMap<SyncedTable, ReadonlySet<string>>
  /** Fields a mutation of the table may carry: the pulled ones and the write-only ones. */
  written: ReadonlyMap<SyncedTable, ReadonlySet<string>>
}

/** The catalogue of `version`: everything the history's entries up to it added. */
export function catalogueAt(version: number, history: readonly SchemaStep[] = SCHEMA_HISTORY): SchemaCatalogue {
  const pulled = new Map<SyncedTable, Set<string>>()
  const written = new Map<SyncedTable, Set<string>>()
  const add = (into: Map<SyncedTable, Set<string>>, table: SyncedTable, fields: readonly string[]): void => {
    const set = into.get(table) ?? new Set<string>()
    for (const f of fields) set.add(f)
    into.set(table, set)
  }
  let described = 0
  for (const step of history) {
    if (step.version > version) break
    described = step.version
    for (const [table, fields] of Object.entries(step.added) as [SyncedTable, readonly string[]][]) {
      add(pulled, table, fields)
      add(written, table, fields)
    }
    for (const [table, fields] of Object.entries(step.writeOnly ?? {}) as [SyncedTable, readonly string[]][]) add(written, table, fields)
  }
  return { version: described, pulled, written }
}

/** The header's value: a positive whole number; absent means an app from before the header. Null: unreadable. */
export function parseSchemaVersion(header: string | readonly string[] | undefined): number | null {
  if (header === undefined) return LEGACY_SCHEMA_VERSION
  if (typeof header !== 'string' || !/^[1-9]\d{0,5}$/.test(header)) return null
  return Number(header)
}
