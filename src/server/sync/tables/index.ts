import type { SyncedTable } from '../../../core/sync/tables.ts'
import type { TableModule } from '../table-module.ts'
import { branches } from './branches.ts'
import { users } from './users.ts'
import { studyRecords } from './study-records.ts'
import { oathRenewals } from './oath-renewals.ts'
import { reminderSettings } from './reminder-settings.ts'
import { meetings } from './meetings.ts'
import { attendance } from './attendance.ts'
import { makeups } from './makeups.ts'
import { households } from './households.ts'
import { visits } from './visits.ts'
import { followups } from './followups.ts'
import { feedback } from './feedback.ts'
import { duesProfiles } from './dues-profiles.ts'
import { duesPayments } from './dues-payments.ts'
import { outsideTrainings } from './outside-trainings.ts'
import { rectifications } from './rectifications.ts'
import { reviewCycles } from './review-cycles.ts'
import { reviewPapers } from './review-papers.ts'
import { reviewGrades } from './review-grades.ts'

/**
 * Every synced table's module: its columns and wire mapping, read scope, pull read and (writable
 * tables) the rules of its writes. A table of core's SYNCED_TABLES without a module, or a
 * writable one without `apply`, does not compile.
 */
export const tables: { [K in SyncedTable]: TableModule<K> } = {
  branches,
  users,
  study_records: studyRecords,
  oath_renewals: oathRenewals,
  reminder_settings: reminderSettings,
  meetings,
  attendance,
  makeups,
  households,
  visits,
  followups,
  feedback,
  dues_profiles: duesProfiles,
  dues_payments: duesPayments,
  outside_trainings: outsideTrainings,
  rectifications,
  review_cycles: reviewCycles,
  review_papers: reviewPapers,
  review_grades: reviewGrades,
}
