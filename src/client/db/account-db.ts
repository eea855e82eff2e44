import Dexie, { type Table } from 'dexie'
import type {
  Attendance,
  Branch,
  Feedback,
  DuesPayment,
  DuesProfile,
  Followup,
  Rectification,
  Household,
  Makeup,
  Meeting,
  OathRenewal,
  OutsideTraining,
  ReminderSettings,
  StudyRecord,
  UserProfile,
  Visit,
} from '../../core/schemas/entities.ts'
import type { ReviewCycle, ReviewGrade, ReviewPaper } from '../../core/schemas/review.ts'
import type { ReviewGrade as Grade } from '../../core/domain/review.ts'
import type { Mutation } from '../../core/sync/protocol.ts'
import { SYNCED_TABLES, type SyncedRows, type SyncedTable } from '../../core/sync/tables.ts'
import type { ErrorCode } from '../../core/errors.ts'

/** A mutation waiting for the server's acknowledgement. `seq` orders the queue (never the clock). */
export interface OutboxEntry extends Mutation {
  seq?: number
}

/** A mutation the server refused: kept, with the reason and what the user had written. */
export interface RejectedEntry {
  id: string
  mutation: Mutation
  code: ErrorCode
  message: string
  /** The local row as it was when the change was made, so the user can restore or copy it. */
  snapshot: Record<string, unknown> | null
  at: string
}

/** What a photo belongs to: a visit, a meeting or an outside training's certificate (the synced table whose row lists it). */
export type PhotoOwnerKind = 'visits' | 'meetings' | 'outside_trainings'

/** A photo kept on the phone until uploaded (and after, until the member frees the space). Never synced by pull. */
export interface PhotoBlob {
  id: string
  /** The visit or meeting (see `ownerKind`) the photo belongs to. */
  ownerId: string
  ownerKind: PhotoOwnerKind
  blob: Blob
  mime: string
  width: number
  height: number
  size: number
  state: 'pending' | 'uploaded'
  createdAt: string
}

/**
 * The proof of an acknowledged sign-in (the scanned code), kept on the phone so that after a
 * server restore the sign-in can be sent again and verified as the first time. Never synced.
 */
export interface ScanProof {
  /** The attendance row id. */
  id: string
  window: number
  token: string
  scannedAt: string
}

/**
 * A sealed ballot of 民主评议 (docs/review-ballots.md), kept on this phone only and sent by its own
 * route, never synced as a row. Once the server has counted it (or the voter had voted already)
 * its grades are erased and only "已投票" is kept.
 */
export interface SealedBallot {
  /** The cycle voted in: one ballot per cycle. */
  cycleId: string
  /** Subject id → grade; null once sent. */
  grades: Record<string, Grade> | null
  state: 'waiting' | 'sent'
  /** Why the last send did not count it (shown to the voter), if it did not. */
  problem: string | null
}

/** Meta key: rows remembered across a restore's reset, to be sent back (sync/refill.ts). */
export const REFILL_KEY = 'refill'

export interface MetaEntry {
  key: string
  value: unknown
}

/**
 * One IndexedDB database per account: another person signing in on the same phone opens a
 * different database and never sees this one. Versions are numbered; add one, never edit one.
 */
/** A store for every synced table, with that table's rows: a table added to core without its store here does not compile. */
type SyncedStores = { [K in SyncedTable]: Table<SyncedRows[K], string> }

export class AccountDb extends Dexie implements SyncedStores {
  study_records!: Table<StudyRecord, string>
  oath_renewals!: Table<OathRenewal, string>
  reminder_settings!: Table<ReminderSettings, string>
  meetings!: Table<Meeting, string>
  attendance!: Table<Attendance, string>
  makeups!: Table<Makeup, string>
  households!: Table<Household, string>
  visits!: Table<Visit, string>
  followups!: Table<Followup, string>
  feedback!: Table<Feedback, string>
  dues_profiles!: Table<DuesProfile, string>
  dues_payments!: Table<DuesPayment, string>
  outside_trainings!: Table<OutsideTraining, string>
  rectifications!: Table<Rectification, string>
  photo_blobs!: Table<PhotoBlob, string>
  users!: Table<UserProfile, string>
  branches!: Table<Branch, string>
  outbox!: Table<OutboxEntry, number>
  rejected!: Table<RejectedEntry, string>
  meta!: Table<MetaEntry, string>
  scan_proofs!: Table<ScanProof, string>
  review_cycles!: Table<ReviewCycle, string>
  review_papers!: Table<ReviewPaper, string>
  review_grades!: Table<ReviewGrade, string>
  review_ballots!: Table<SealedBallot, string>

  constructor(name: string) {
    super(name)
    this.version(1).stores({
      study_records: 'id, [ownerId+date], date',
      users: 'id, branchId',
      branches: 'id',
      outbox: '++seq, &id, [table+rowId]',
      rejected: 'id, at',
      meta: 'key',
    })
    this.version(2).stores({ oath_renewals: 'id, ownerId, date' })
    this.version(3).stores({ reminder_settings: 'id' })
    this.version(4).stores({
      meetings: 'id, startsAt, branchId',
      attendance: 'id, meetingId, memberId',
      makeups: 'id, meetingId, memberId',
    })
    this.version(5).stores({
      households: 'id, branchId',
      visits: 'id, visitedAt, householdId',
      followups: 'id, ownerId, visitId, householdId',
      photo_blobs: 'id, visitId, state',
    })
    this.version(6).stores({ scan_proofs: 'id' })
    // Photos belong to visits and meetings alike: `visitId` (a meeting's id for a meeting photo)
    // becomes `ownerId`, and `owner` (absent for visit photos) becomes `ownerKind`.
    this.version(7)
      .stores({ photo_blobs: 'id, ownerId, state' })
      .upgrade((tx) =>
        tx
          .table('photo_blobs')
          .toCollection()
          .modify((row: Record<string, unknown>) => {
            row.ownerId = row.visitId
            row.ownerKind = row.owner === 'meetings' ? 'meetings' : 'visits'
            delete row.visitId
            delete row.owner
          }),
      )
    // 党费: one declaration per member (id = the member's id), receipts by member and date.
    this.version(8).stores({
      dues_profiles: 'id, branchId',
      dues_payments: 'id, memberId, branchId, receivedOn',
    })
    // 学时: 其他培训 (outside training with its certificate photos).
    this.version(9).stores({ outside_trainings: 'id, memberId, endOn' })
    // 投诉建议.
    this.version(10).stores({ feedback: 'id, authorId, createdAt' })
    // (11 was set aside for reminder channels, which needed no new index.)
    // The year's review (组织生活会, 民主评议党员); sealed ballots wait here, on this phone only.
    this.version(12).stores({
      review_cycles: 'id, branchId, year',
      review_papers: 'id, cycleId, authorId',
      review_grades: 'id, cycleId, memberId',
      review_ballots: 'cycleId',
    })
    // 整改清单.
    this.version(13).stores({ rectifications: 'id, branchId, ownerId' })
  }
}

export const accountDbName = (userId: string): string => `suixing-account-${userId}`

/** The synced stores: core's list of synced tables, not a copy (AccountDb declares one store for each). */
export const SYNCED_STORES: readonly SyncedTable[] = SYNCED_TABLES

/**
 * The synced stores this database has. A change for a store it lacks (a server newer than the
 * app) is skipped, never an error: see sync/apply.ts.
 */
export function syncedTables(db: AccountDb): Table[] {
  const have = new Set(db.tables.map((t) => t.name))
  return SYNCED_STORES.filter((t) => have.has(t)).map((t) => db.table(t))
}
