import type { Migration, MigrationProvider } from 'kysely'
import * as m001 from './001_initial.ts'
import * as m002 from './002_party_dates.ts'
import * as m003 from './003_calendar_feeds.ts'
import * as m004 from './004_oath_renewals.ts'
import * as m005 from './005_reminders.ts'
import * as m006 from './006_organisation.ts'
import * as m007 from './007_audit_append_only.ts'
import * as m008 from './008_meetings.ts'
import * as m009 from './009_meeting_reminders.ts'
import * as m010 from './010_field_visits.ts'
import * as m011 from './011_meeting_photos.ts'
import * as m012 from './012_login_limits.ts'
import * as m013 from './013_committee_and_starts.ts'
import * as m014 from './014_photo_owner.ts'
import * as m019 from './019_reminder_channels.ts'
import * as m018 from './018_security.ts'
import * as m017 from './017_privacy.ts'
import * as m015 from './015_dues.ts'
import * as m016 from './016_training.ts'
import * as m020 from './020_talk_kinds.ts'
import * as m022 from './022_rectifications.ts'
import * as m021 from './021_annual_review.ts'

/** Numbered migrations, run in order on start. Append; never edit a released one. */
const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_party_dates': m002,
  '003_calendar_feeds': m003,
  '004_oath_renewals': m004,
  '005_reminders': m005,
  '006_organisation': m006,
  '007_audit_append_only': m007,
  '008_meetings': m008,
  '009_meeting_reminders': m009,
  '010_field_visits': m010,
  '011_meeting_photos': m011,
  '012_login_limits': m012,
  '013_committee_and_starts': m013,
  '014_photo_owner': m014,
  '019_reminder_channels': m019,
  '018_security': m018,
  '017_privacy': m017,
  '015_dues': m015,
  '016_training': m016,
  '020_talk_kinds': m020,
  '022_rectifications': m022,
  '021_annual_review': m021,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
}
