import { addRectification, closeRectification } from '../../../src/client/features/meetings/rectify.repo.ts'
import { NetworkError, createHttpClient, type FetchFn } from '../../../src/client/api/http.ts'
import { endpoints } from '../../../src/client/api/endpoints.ts'
import { AccountDb } from '../../../src/client/db/account-db.ts'
import { SyncEngine } from '../../../src/client/sync/engine.ts'
import { createStudy, removeStudy, updateStudy } from '../../../src/client/features/study/study.repo.ts'
import { recordOathRenewal, savePartyDates } from '../../../src/client/features/party/party.repo.ts'
import { deleteRow, writeRow } from '../../../src/client/db/write.ts'
import { ValidationError } from '../../../src/client/db/errors.ts'
import { saveReminderPrefs } from '../../../src/client/features/reminders/reminders.repo.ts'
import { createMeeting, markAttendance, signInWithCode, updateMeeting } from '../../../src/client/features/meetings/meetings.repo.ts'
import { closeFollowup, recordVisit, saveHousehold } from '../../../src/client/features/visits/visits.repo.ts'
import { declareDues, recordReceipt, voidReceipt } from '../../../src/client/features/dues/dues.repo.ts'
import { addMonths, monthOf, quarterMonths, receiptNumber } from '../../../src/core/domain/dues-rules.ts'
import { chinaToday } from '../../../src/core/domain/china-time.ts'
import { confirmOutsideTraining, recordOutsideTraining } from '../../../src/client/features/training/training.repo.ts'
import { signInLink, signToken, windowOf } from '../../../src/core/domain/sign-in-token.ts'
import { attendanceToWire } from '../../../src/server/sync/tables/attendance.ts'
import type { Meeting } from '../../../src/core/schemas/entities.ts'
import { reminderSettingsToWire } from '../../../src/server/sync/tables/reminder-settings.ts'
import { MUTATION_VERSION, type PushResult } from '../../../src/core/sync/protocol.ts'
import type { SessionUser } from '../../../src/core/schemas/auth.ts'
import { newId } from '../../../src/core/ids.ts'
import { cookieFetch, PASSWORD, seedOrg, signIn, startServer } from '../harness.ts'
import { FaultProxy, NO_FAULTS, type FaultStats } from './fault-proxy.ts'
import { freshPullDifferences } from './fresh-pull.ts'
import { backup, restore } from '../../../src/server/ops/backup.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../../src/core/sync/schema-version.ts'
import { submitFeedback, withdrawFeedback } from '../../../src/client/features/feedback/feedback.repo.ts'
import { appApi, laterHistory, NEXT_SCHEMA } from '../schema-upgrade.ts'
import { chance, pick, seeded } from './random.ts'
import { openCycle, saveGrade, savePaper, setBallot } from '../../../src/client/features/review/review.repo.ts'
import { keepBallot } from '../../../src/client/db/ballot-outbox.ts'
import { checkVoted, sendBallots } from '../../../src/client/features/review/ballot-sender.ts'
import { reviewEndpoints, type ReviewApi } from '../../../src/client/features/review/review-api.ts'
import { REVIEW_GRADES, type ReviewGrade } from '../../../src/core/domain/review.ts'
import { ballotProblems } from './review-ballots.ts'
import { readBallotBox } from '../../../src/server/repositories/review-ballots.ts'

export interface SimulationOptions {
  seed: number
  devices: number
  operations: number
}

export interface SimulationReport {
  seed: number
  devices: number
  operations: number
  mutations: number
  applied: number
  rejected: number
  kills: number
  restarts: number
  /** Backups taken mid-run, and restores of them (the phones then refill the server). */
  backups: number
  restores: number
  /** Apps updated mid-run to the server's newer schema version. */
  upgrades: number
  /** Changes of who may see what: links, expected people, companions, moves, roles. */
  scopeChanges: number
  /** Times the fresh-pull invariant was checked on a device mid-run. */
  invariantChecks: number
  /** 党费 receipts recorded on the phones, and those the server refused as covering a month already paid. */
  receipts: number
  duplicateReceipts: number
  /** Sealed ballots cast on the phones, and voters the server counted once each. */
  ballots: number
  voters: number
  faults: FaultStats
  problems: string[]
  ms: number
}

interface Device {
  name: string
  user: SessionUser
  db: AccountDb
  engine: SyncEngine
  /** The sealed ballot's route, through the faults. */
  review: ReviewApi
  /** The same session straight to the server (no faults): the invariant's fresh pull, `me`. */
  direct: ReturnType<typeof endpoints>
  /** The app's schema version (an older app until its update). */
  schema: number
  /** A new engine (and `direct`) for the app as it is now: after a kill or an update. */
  restartApp(): void
  /** Record every mutation this app's database queues. */
  track(): void
  generation: number
  inflight: Promise<unknown> | null
  created: Set<string>
}

const draft = (title: string, rand: () => number) => ({
  kind: pick(rand, ['self_study', 'first_topic', 'party_lesson', 'xuexi_qiangguo'] as const),
  title,
  date: `2026-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`,
  minutes: 10 + Math.floor(rand() * 120),
  notes: chance(rand, 0.5) ? '' : `心得 ${Math.floor(rand() * 1000)}`,
  sourceUrl: '',
})

/**
 * Several devices (the real client engine over fake-indexeddb) against the real server through a
 * fault-injecting proxy, with random edits, syncs, device kills, server restarts and changes of
 * who may see what (household links, a meeting's expected people, a visit's companions, a move
 * between branches, a role change). Whenever a device finishes a pull, it must hold exactly what
 * a fresh pull from an empty cursor gives it, plus its own unsent changes; after the faults stop
 * and everyone syncs, every mutation must have been recorded by the server exactly once and every
 * refusal must be visible.
 */
export async function runSimulation(opts: SimulationOptions): Promise<SimulationReport> {
  const started = Date.now()
  const rand = seeded(opts.seed)
  // The server is one schema version ahead of the app some phones still run (it has a field, the
  // branches' archived flag, that their version does not know): they keep syncing without it and
  // receive it after their update, a random event below.
  const server = await startServer({ schemaHistory: laterHistory({ fields: { branches: ['archived'] } }) })
  const org = await seedOrg(server.handle)
  const proxy = new FaultProxy(() => server.url, rand)
  await proxy.start()
  const problems: string[] = []
  let kills = 0
  let restarts = 0
  let scopeChanges = 0
  let upgrades = 0
  let invariantChecks = 0
  let backups = 0
  let restores = 0
  let backupDir: string | null = null
  let visitsRecorded = 0
  let closes = 0
  let feedbackSent = 0
  let feedbackAnswered = 0
  let trainingsRecorded = 0
  let rectifyItems = 0
  let rectifyCloses = 0
  // Mutations the server had recorded when it was restored: their records went with the restore
  // (what the phones still held came back as new mutations).
  const lostInRestore = new Set<string>()
  // Every sync ever started, abandoned ones of killed devices included: the invariant is checked
  // only when none is running, so no other write lands between a device's pull and the check.
  const running = new Set<Promise<unknown>>()
  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p)
    void p.finally(() => running.delete(p)).catch(() => undefined)
    return p
  }
  const adminApi = await signIn(server, org.admin.phone)
  // The administrator's phone, online: a 503 (a write conflict with a sync, PostgreSQL) is tried again.
  const admin = async (path: string, body: unknown) => {
    for (let attempt = 0; ; attempt++) {
      const r = await adminApi(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (r.ok) return
      if (r.status !== 503 || attempt >= 5) throw new Error(`${path} answered ${r.status}: ${await r.text()}`)
      await new Promise((ok) => setTimeout(ok, 50))
    }
  }
  /** The administrator answers a 投诉建议 from their phone, online (a synced write: it carries the app's schema version). */
  const answerOnline = async (id: string, answer: string) => {
    const r = await adminApi(`${server.url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
      body: JSON.stringify({
        clientId: newId(),
        mutations: [
          {
            id: newId(),
            table: 'feedback',
            op: 'upsert',
            rowId: id,
            fields: { answer },
            clientTime: new Date().toISOString(),
            v: MUTATION_VERSION,
          },
        ],
      }),
    })
    if (!r.ok && r.status !== 503) throw new Error(`answering 投诉建议 answered ${r.status}`)
  }
  const refreshUser = async (id: string) => {
    for (const x of devices) if (x.user.id === id) x.user = (await x.direct.me()).user
  }

  const accounts = [org.memberA, org.memberA, org.memberA2, org.secretaryA, org.memberA].slice(0, opts.devices)
  const devices: Device[] = []
  for (const [i, acc] of accounts.entries()) {
    const jar = cookieFetch()
    const signed = await endpoints(createHttpClient(server.url, jar)).login({ phone: acc.phone, password: PASSWORD })
    if (!('user' in signed)) throw new Error('two-factor login enrolled: sign in with the second step')
    const { user } = signed
    // The second phone of 张三 and 李四's phone start on the older app.
    const schema = i === 1 || i === 2 ? SCHEMA_VERSION : NEXT_SCHEMA
    const d = {
      name: `device${i}`,
      user,
      db: new AccountDb(`sim-${opts.seed}-${i}-${newId()}`),
      schema,
      generation: 0,
      inflight: null,
      created: new Set<string>(),
    } as Omit<Device, 'engine' | 'direct' | 'review' | 'restartApp' | 'track'> as Device
    // A killed device never sees the answers to what it had in flight.
    const f: FetchFn = async (input, init) => {
      const g = d.generation
      const res = await jar(input.replace(server.url, proxy.url), init)
      if (g !== d.generation) throw new NetworkError(new Error('device killed'))
      return res
    }
    const engineOpts = { pushBatch: 1 + Math.floor(rand() * 20), pullLimit: 5 + Math.floor(rand() * 50) }
    d.restartApp = () => {
      const api = appApi(server.url, f, d.schema, 5_000)
      d.engine = new SyncEngine(d.db, api, engineOpts)
      d.review = reviewEndpoints(createHttpClient(server.url, f, 5_000))
      d.direct = appApi(server.url, jar, d.schema)
    }
    d.restartApp()
    d.track = () =>
      d.db.outbox.hook('creating', (_pk, m) => {
        d.created.add(m.id)
      })
    d.track()
    devices.push(d)
  }

  // A meeting of branch A, scheduled on the secretary's phone (the last device is the secretary when there are four or more).
  const organiser = devices.find((d) => d.user.role === 'secretary')
  let meeting: Meeting | null = null
  if (organiser) {
    meeting = await createMeeting(organiser.db, organiser.user, {
      branchId: organiser.user.branchId,
      type: 'branch_committee',
      topic: `sim-${opts.seed}`,
      startsAt: new Date().toISOString(),
      durationMinutes: 600,
      place: '',
      organiserId: organiser.user.id,
      speaker: '',
      expectedIds: [org.memberA.id, org.memberA2.id, org.secretaryA.id],
      agenda: '',
      minutes: '',
      talkWithId: null,
    })
    await saveHousehold(organiser.db, organiser.user, null, {
      branchId: organiser.user.branchId ?? '',
      name: `户主${opts.seed}`,
      address: '',
      village: '东村',
      contact: '',
      situation: '',
      needs: '',
      memberIds: [org.memberA.id, org.memberA2.id],
    })
    await organiser.engine.sync()
  }
  // The year's review: a 民主评议 meeting and its cycle, the ballot open; members sign in, write
  // their papers, vote from several phones (offline, retried, duplicated by the faults); the
  // secretary grades. Ballots cast per device are remembered here to check the counts at the end.
  let appraisal: Meeting | null = null
  let cycleId: string | null = null
  const cast = new Map<string, Record<string, ReviewGrade>[]>()
  let ballots = 0
  let voters = 0
  if (organiser) {
    appraisal = await createMeeting(organiser.db, organiser.user, {
      branchId: organiser.user.branchId,
      type: 'appraisal',
      topic: `sim-review-${opts.seed}`,
      startsAt: new Date().toISOString(),
      durationMinutes: 600,
      place: '',
      organiserId: organiser.user.id,
      speaker: '',
      expectedIds: [org.memberA.id, org.memberA2.id, org.secretaryA.id],
      agenda: '',
      minutes: '',
      talkWithId: null,
    })
    const c = await openCycle(organiser.db, organiser.user, organiser.user.branchId ?? '', {
      year: 2026,
      opensOn: '2026-11-01',
      lifeMeetingOn: null,
      assessmentOn: null,
      prompt: '征求意见',
      meetingId: appraisal.id,
    })
    await setBallot(organiser.db, c, 'open')
    await organiser.engine.sync()
    cycleId = c.id
  }

  // 党费: 张三 is branch A's 收缴员 (two phones); 李四 and the secretary have declared their bases.
  const today = chinaToday(new Date())
  const month = monthOf(today)
  const collectorPhones = devices.filter((d) => d.user.id === org.memberA.id)
  let receipts = 0
  if (collectorPhones.length >= 2) {
    await admin(`/api/dues/collector/${org.branchA}`, { memberId: org.memberA.id })
    const c = collectorPhones[0] as Device
    await c.engine.sync()
    for (const who of [org.memberA2.id, org.secretaryA.id])
      await declareDues(
        c.db,
        c.user,
        { id: who, branchId: org.branchA },
        {
          category: 'in_service',
          baseFen: 300000 + Math.floor(rand() * 900000),
          fromMonth: addMonths(month, -6),
          checkedOn: today,
        },
      )
    await c.engine.sync()
    for (const x of collectorPhones) await x.engine.sync()
  }
  /** The secretary's dues of this month, recorded once on each of the 收缴员's two phones, offline: stored once. */
  const twice = async () => {
    for (const x of collectorPhones.slice(0, 2)) {
      const profile = await x.db.dues_profiles.get(org.secretaryA.id)
      await recordReceipt(x.db, x.user, profile, {
        memberId: org.secretaryA.id,
        branchId: org.branchA,
        kind: 'monthly',
        months: [month],
        method: 'cash',
        receivedOn: today,
        notes: '',
      })
      receipts++
    }
  }

  const faults = { dropRequest: 0.1, dropResponse: 0.1, duplicate: 0.1, delay: 0.25 }
  proxy.rates = faults
  let n = 0
  for (let op = 0; op < opts.operations; op++) {
    const d = pick(rand, devices)
    const roll = rand()
    try {
      if (op === Math.floor(opts.operations / 2)) {
        // Halfway, whatever the faults did so far: every device syncs once on a quiet network and
        // must equal a fresh pull (the random checks below may all meet a fault).
        while (running.size) await Promise.allSettled([...running])
        proxy.rates = NO_FAULTS
        for (const x of devices) {
          if ((await track(x.engine.sync())).ok) {
            invariantChecks++
            for (const p of await freshPullDifferences(`${x.name} halfway`, x.db, x.direct)) problems.push(p)
          }
        }
        proxy.rates = faults
      }
      // Once, early, whatever else this operation does (a change of who sees what, say): the
      // secretary's month recorded on both of the 收缴员's phones, checked at the end.
      if (op === 1 && collectorPhones.length >= 2) await twice()
      if (chance(rand, 0.06)) {
        // Who may see what changes: rows must leave the phones that lose them and arrive
        // complete (with their earlier visits, follow-ups) on the phones that gain them.
        scopeChanges++
        const kind = Math.floor(rand() * 5)
        const someOf = (ids: string[]) => ids.filter(() => chance(rand, 0.5))
        if (kind === 0 && organiser) {
          const h = (await organiser.db.households.toArray()).find((x) => !x.deleted)
          if (h)
            await saveHousehold(organiser.db, organiser.user, h.id, {
              ...h,
              memberIds: pick(rand, [[org.memberA.id], [org.memberA2.id], [org.memberA.id, org.memberA2.id]]),
            })
        } else if (kind === 1 && organiser && meeting) {
          if (await organiser.db.meetings.get(meeting.id))
            await updateMeeting(organiser.db, meeting.id, { expectedIds: someOf([org.memberA.id, org.memberA2.id, org.secretaryA.id]) })
        } else if (kind === 2) {
          // A companion added to, or taken off, one of this member's visits.
          const other = d.user.id === org.memberA.id ? org.memberA2.id : org.memberA.id
          const v = (await d.db.visits.toArray()).find((x) => !x.deleted && x.memberIds.includes(d.user.id) && x.createdBy !== other)
          if (v) {
            const memberIds = v.memberIds.includes(other) ? v.memberIds.filter((x) => x !== other) : [...v.memberIds, other]
            await writeRow(d.db, 'visits', { ...v, memberIds }, { memberIds })
          }
        } else if (kind === 3) {
          // 李四 moves between the two branches (a secretary moved becomes a member).
          const row = await server.handle.db
            .selectFrom('users')
            .select('branch_id')
            .where('id', '=', org.memberA2.id)
            .executeTakeFirstOrThrow()
          await admin(`/api/admin/people/${org.memberA2.id}/move`, {
            branchId: row.branch_id === org.branchA ? org.branchB : org.branchA,
            date: '2026-11-01',
          })
          await refreshUser(org.memberA2.id)
        } else {
          const row = await server.handle.db.selectFrom('users').select('role').where('id', '=', org.memberA2.id).executeTakeFirstOrThrow()
          await admin(`/api/admin/people/${org.memberA2.id}/role`, { role: row.role === 'member' ? 'secretary' : 'member' })
          await refreshUser(org.memberA2.id)
        }
      } else if (roll < 0.24) {
        await createStudy(d.db, d.user, draft(`sim-${opts.seed}-${n++}`, rand))
      } else if (roll < 0.27) {
        // 投诉建议: written offline (now and then anonymous), withdrawn before its answer, or
        // answered by the administrator online (the answer reaches the author's phones).
        const mine = (await d.db.feedback.toArray()).filter((f) => !f.deleted && f.authorId === d.user.id && !f.answeredAt)
        if (mine.length && chance(rand, 0.2)) await withdrawFeedback(d.db, pick(rand, mine).id).catch(() => undefined)
        else if (chance(rand, 0.4)) {
          const open = await server.handle.db.selectFrom('feedback').select('id').where('deleted', '=', 0).execute()
          if (open.length) {
            await answerOnline(pick(rand, open).id, `答复 ${op}`)
            feedbackAnswered++
          }
        } else {
          feedbackSent++
          await submitFeedback(d.db, d.user, {
            category: chance(rand, 0.5) ? 'complaint' : 'suggestion',
            text: `sim-${opts.seed}-feedback-${op}`,
            anonymous: chance(rand, 0.5),
          })
        }
      } else if (roll < 0.3) {
        // 党费: the 收缴员's phones (and the secretary's) record 李四's dues, the same months on
        // several phones offline now and then; 李四 re-declares his base; a mistaken receipt is voided.
        const profile = await d.db.dues_profiles.get(org.memberA2.id)
        if (d.user.id === org.memberA2.id || chance(rand, 0.1)) {
          if ((await d.db.users.get(org.memberA2.id)) !== undefined)
            await declareDues(
              d.db,
              d.user,
              { id: org.memberA2.id, branchId: d.user.id === org.memberA2.id ? d.user.branchId : org.branchA },
              {
                category: pick(rand, ['in_service', 'retired', 'student'] as const),
                baseFen: 100000 + Math.floor(rand() * 1200000),
                fromMonth: addMonths(month, -6),
                checkedOn: today,
              },
            ).catch((err: unknown) => {
              if (!(err instanceof ValidationError)) throw err
            })
        } else if (chance(rand, 0.15)) {
          const mine = (await d.db.dues_payments.toArray()).filter(
            (p) => !p.deleted && p.memberId === org.memberA2.id && p.collectorId === d.user.id,
          )
          if (mine.length) await voidReceipt(d.db, pick(rand, mine).id)
        } else {
          const kind = pick(rand, ['monthly', 'quarterly', 'arrears', 'arrears', 'special'] as const)
          const months =
            kind === 'monthly'
              ? [month]
              : kind === 'quarterly'
                ? quarterMonths(month)
                : kind === 'arrears'
                  ? [addMonths(month, -1 - Math.floor(rand() * 7))]
                  : []
          const input = {
            memberId: org.memberA2.id,
            branchId: org.branchA,
            kind,
            months,
            method: 'cash' as const,
            receivedOn: today,
            notes: '',
            amountFen: 5000,
          }
          try {
            await recordReceipt(d.db, d.user, profile, input)
            receipts++
          } catch (err) {
            if (!(err instanceof ValidationError)) throw err
            // Refused on the phone (already paid here, more than 6 months back): sent anyway now and
            // then, to exercise the server's own refusal.
            if (profile && kind !== 'special' && chance(rand, 0.3)) {
              const createdAt = new Date().toISOString()
              const fields = {
                memberId: org.memberA2.id,
                kind,
                months,
                amountFen: 4500,
                method: 'cash' as const,
                receivedOn: today,
                notes: '',
                createdAt,
              }
              const id = newId()
              await writeRow(
                d.db,
                'dues_payments',
                {
                  id,
                  orgId: d.user.orgId,
                  branchId: org.branchA,
                  ...fields,
                  category: profile.category,
                  baseFen: profile.baseFen,
                  monthlyFen: 4500,
                  collectorId: d.user.id,
                  receiptNo: receiptNumber(id, today),
                  updatedAt: createdAt,
                  deleted: false,
                },
                fields,
              )
            }
          }
        }
      } else if (roll < 0.5 || roll < 0.6) {
        const mine = (await d.db.study_records.toArray()).filter((r) => !r.deleted)
        if (mine.length) {
          const r = pick(rand, mine)
          if (roll < 0.5) {
            const next = { kind: r.kind, title: r.title, date: r.date, minutes: r.minutes, notes: r.notes, sourceUrl: r.sourceUrl }
            if (chance(rand, 0.5)) next.minutes = 10 + Math.floor(rand() * 120)
            else next.notes = `${d.name} 修改 ${op}`
            await updateStudy(d.db, r.id, next)
          } else await removeStudy(d.db, r.id)
        }
      } else if (roll < 0.65) {
        // The member's own party dates (users table); now and then an impossible pair, refused visibly.
        const y = 1980 + Math.floor(rand() * 40)
        const joined = `${y}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`
        const full = chance(rand, 0.85) ? `${y + 1}-07-01` : `${y - 1}-07-01`
        if ((await d.db.users.get(d.user.id)) !== undefined) {
          try {
            await savePartyDates(d.db, d.user.id, { joinedPartyOn: joined, fullMemberOn: full })
          } catch (err) {
            if (!(err instanceof ValidationError)) throw err
            // The client refuses it before writing; send it anyway to exercise the server's refusal.
            const me = await d.db.users.get(d.user.id)
            if (me)
              await writeRow(
                d.db,
                'users',
                { ...me, joinedPartyOn: joined, fullMemberOn: full },
                { joinedPartyOn: joined, fullMemberOn: full },
              )
          }
        }
      } else if (roll < 0.675 && d.user.branchId) {
        // 整改清单: the secretary lists an item for a member; an owner (or the secretary) closes one.
        const open = (await d.db.rectifications.toArray()).filter(
          (x) => !x.deleted && !x.closedAt && (x.ownerId === d.user.id || d.user.role === 'secretary'),
        )
        if (open.length && chance(rand, 0.5)) {
          await closeRectification(d.db, pick(rand, open).id, `${d.name} 已整改 ${op}`, d.user.id).then(
            () => rectifyCloses++,
            (err: unknown) => {
              if (!(err instanceof ValidationError)) throw err
            },
          )
        } else if (d.user.role === 'secretary') {
          rectifyItems++
          await addRectification(d.db, d.user, {
            branchId: d.user.branchId,
            year: 2026,
            text: `sim-${opts.seed}-整改-${op}`,
            ownerId: pick(rand, [org.memberA.id, org.memberA2.id, d.user.id]),
            dueOn: '2027-03-31',
          })
        }
      } else if (roll < 0.7) {
        // Re-took the oath (oath_renewals), or withdraws an earlier record of it.
        const mine = (await d.db.oath_renewals.toArray()).filter((r) => !r.deleted && r.ownerId === d.user.id)
        if (mine.length && chance(rand, 0.3)) await deleteRow(d.db, 'oath_renewals', pick(rand, mine).id)
        else await recordOathRenewal(d.db, d.user, `2026-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`)
      } else if (roll < 0.73 && roll >= 0.715) {
        // 其他培训: a member records one (offline, retried, on several phones of one person); a
        // secretary confirms one of the branch's (refused visibly when its member has moved away).
        if (d.user.role === 'secretary') {
          const open = (await d.db.outside_trainings.toArray()).filter((t) => !t.deleted && !t.confirmedAt && t.memberId !== d.user.id)
          if (open.length) await confirmOutsideTraining(d.db, d.user, pick(rand, open).id)
        } else {
          trainingsRecorded++
          await recordOutsideTraining(d.db, d.user, {
            kind: 'online',
            title: `sim-${opts.seed}-training-${op}`,
            organiser: '县直机关工委',
            startOn: '2026-11-01',
            endOn: '2026-11-02',
            minutes: 30 + Math.floor(rand() * 600),
            notes: '',
          })
        }
      } else if (roll < 0.73) {
        // Reminder settings (reminder_settings): one field at a time, several phones of one person.
        const patch = chance(rand, 0.5)
          ? { studyGap: chance(rand, 0.5) }
          : { quietStart: `2${Math.floor(rand() * 4)}:${chance(rand, 0.5) ? '00' : '30'}` }
        await saveReminderPrefs(d.db, d.user, patch)
      } else if (roll < 0.78 && meeting) {
        // Meeting sign-in: members scan the current code (several phones of one person, retries);
        // the organiser marks someone by hand now and then (a verified scan always wins).
        if (d.user.role === 'secretary' && chance(rand, 0.5)) {
          const who = pick(rand, [org.memberA.id, org.memberA2.id])
          try {
            await markAttendance(d.db, d.user, meeting, who, pick(rand, ['present', 'absent', 'leave'] as const))
          } catch {
            // the phone already knows the member scanned: refused locally, nothing written
          }
        } else {
          const w = windowOf(Date.now())
          await signInWithCode(
            d.db,
            d.user,
            signInLink('https://sim', meeting.id, w, await signToken(meeting.signKey ?? '', meeting.id, w)),
          )
        }
      } else if (roll < 0.82 && d.user.role === 'member') {
        // Field visits: record one (with a promised action), or close an open one of one's own.
        const open = (await d.db.followups.toArray()).filter((f) => !f.closedAt && f.ownerId === d.user.id)
        const household = (await d.db.households.toArray()).find((h) => !h.deleted)
        if (open.length && chance(rand, 0.4)) {
          // A sync still running may just have removed it (a reset): the app says so and nothing is written.
          await closeFollowup(d.db, pick(rand, open).id, `${d.name} 已办 ${op}`).then(
            () => closes++,
            (err: unknown) => {
              if (!(err instanceof ValidationError)) throw err
            },
          )
        } else {
          visitsRecorded++
          await recordVisit(d.db, d.user, {
            // A linked household when the member has one, else a place (走访 without a registered household).
            householdId: household?.id ?? null,
            place: household ? '' : '东村村委会',
            visitedAt: new Date().toISOString(),
            memberIds: [d.user.id],
            findings: `sim-${opts.seed}-visit-${op}`,
            problems: '',
            location: null,
            photos: [],
            followups: [{ text: `事项 ${op}`, ownerId: d.user.id, dueOn: '2026-12-31' }],
          })
        }
      } else if (roll < 0.85 && cycleId && appraisal) {
        // The year's review (a slice of the syncs' share, so the other operations keep theirs).
        const c = await d.db.review_cycles.get(cycleId)
        const kind = Math.floor(rand() * 4)
        if (kind === 0 && c) {
          await savePaper(d.db, d.user, c, pick(rand, ['statement', 'written'] as const), `${d.name} 对照检查 ${op}`, chance(rand, 0.2))
        } else if (kind === 1) {
          const w = windowOf(Date.now())
          await signInWithCode(
            d.db,
            d.user,
            signInLink('https://sim', appraisal.id, w, await signToken(appraisal.signKey ?? '', appraisal.id, w)),
          )
        } else if (kind === 2 && c && c.subjectIds.length) {
          if (!(await d.db.review_ballots.get(cycleId))) {
            const grades = Object.fromEntries(c.subjectIds.map((id) => [id, pick(rand, REVIEW_GRADES)]))
            await keepBallot(d.db, cycleId, grades)
            cast.set(d.user.id, [...(cast.get(d.user.id) ?? []), grades])
            ballots++
          }
          await sendBallots(d.db, d.review)
        } else if (kind === 3 && c && d.user.role === 'secretary' && c.subjectIds.length) {
          await saveGrade(d.db, d.user, c, pick(rand, c.subjectIds), pick(rand, [...REVIEW_GRADES, null]), `反馈 ${op}`)
        }
      } else if (roll < 0.9) {
        if (!d.inflight) {
          const g = d.generation
          // A sync of an app killed meanwhile ends with its database closed: that is the kill.
          d.inflight = track(d.engine.sync())
            .catch((err: unknown) => {
              if (g === d.generation) throw err
            })
            .finally(() => {
              if (g === d.generation) d.inflight = null
            })
        }
        if (chance(rand, 0.3)) await d.inflight
        if (chance(rand, 0.3)) {
          // The invariant, mid-run: once nothing else is in flight, a completed sync leaves this
          // device equal to a fresh pull (plus what it has not sent yet).
          while (running.size) await Promise.allSettled([...running])
          const outcome = await track(d.engine.sync())
          if (outcome.ok) {
            invariantChecks++
            for (const p of await freshPullDifferences(`${d.name} after op ${op}`, d.db, d.direct)) problems.push(p)
          }
        }
      } else if (roll < 0.91 && d.schema < NEXT_SCHEMA) {
        // The app on this phone is updated: its next pull resets and brings what its old version lacked.
        while (running.size) await Promise.allSettled([...running])
        d.schema = NEXT_SCHEMA
        d.restartApp()
        upgrades++
      } else if (roll < 0.92) {
        // Restore: a backup taken now, put back later while the phones carry on.
        if (!backupDir) {
          backupDir = (await backup({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, outDir: `${server.dataDir}/backups` })).dir
          backups++
        } else if (chance(rand, 0.5)) {
          while (running.size) await Promise.allSettled([...running])
          for (const r of await server.handle.db.selectFrom('mutations').select('id').execute()) lostInRestore.add(r.id)
          const from = backupDir
          await server.restartAfter(() => restore({ dataDir: server.dataDir, databaseUrl: server.databaseUrl, from }).then(() => undefined))
          backupDir = null
          restores++
        }
      } else if (roll < 0.97) {
        // Kill the device: whatever it had in flight is abandoned; its IndexedDB survives.
        // The app's connection to its database goes with it: nothing of the killed app writes again.
        kills++
        d.generation++
        d.inflight = null
        d.db.close()
        d.db = new AccountDb(d.db.name)
        d.track()
        d.restartApp()
      } else {
        restarts++
        await server.restart()
      }
    } catch (err) {
      problems.push(`op ${op} on ${d.name} threw: ${String(err)}`)
    }
    await new Promise((r) => setTimeout(r, Math.floor(rand() * 3)))
  }

  // Heal: no more faults; everyone syncs until nothing is left to send.
  proxy.rates = NO_FAULTS
  while (running.size) await Promise.allSettled([...running])
  for (let round = 0; round < 20; round++) {
    for (const d of devices) await d.engine.sync()
    const left = await Promise.all(devices.map((d) => d.db.outbox.count()))
    if (left.every((c) => c === 0) && round > 0) break
  }
  for (const d of devices) await d.engine.sync()
  for (const d of devices) d.user = (await d.direct.me()).user
  if (cycleId) {
    // As the review page does when opened: a vote lost to a restore is forgotten (the member may vote again).
    for (const d of devices) await sendBallots(d.db, d.review)
    for (const d of devices) await checkVoted(d.db, d.review, cycleId)
    for (const p of await ballotProblems(server.handle.db, cycleId, devices, cast)) problems.push(p)
    voters = (await readBallotBox(server.handle.db, cycleId))?.voters.length ?? 0
  }

  // The invariant at the end: every device equals a fresh pull (nothing is left unsent now).
  for (const d of devices) for (const p of await freshPullDifferences(`${d.name} at the end`, d.db, d.direct)) problems.push(p)

  // Every mutation recorded exactly once by the server; refusals visible on the device.
  const results = new Map<string, PushResult>()
  for (const row of await server.handle.db.selectFrom('mutations').select(['id', 'result']).execute()) {
    results.set(row.id, JSON.parse(row.result) as PushResult)
  }
  let mutations = 0
  let applied = 0
  let rejected = 0
  for (const d of devices) {
    const left = await d.db.outbox.toArray()
    if (left.length > 0)
      problems.push(
        `${d.name}: outbox not empty after healing (${left
          .slice(0, 3)
          .map((m) => `${m.table} ${m.op} ${Object.keys(m.fields ?? {}).join('+')}`)
          .join('; ')})`,
      )
    const visible = new Set((await d.db.rejected.toArray()).map((r) => r.id))
    for (const id of d.created) {
      mutations++
      const r = results.get(id)
      if (!r && lostInRestore.has(id)) continue
      // Set aside on the phone itself: what it waited for was refused (never recorded by the server).
      if (!r && visible.has(id)) {
        rejected++
        continue
      }
      if (!r) problems.push(`${d.name}: mutation ${id} never reached the server`)
      else if (r.status === 'applied') applied++
      else {
        rejected++
        if (!visible.has(id)) problems.push(`${d.name}: mutation ${id} was rejected (${r.code}) but is not shown`)
      }
    }
  }

  // Every record created exactly once; every device holds what the server says it may see.
  const all = await server.handle.db.selectFrom('study_records').selectAll().where('title', 'like', `sim-${opts.seed}-%`).execute()
  const titles = new Map<string, number>()
  for (const r of all) titles.set(r.title, (titles.get(r.title) ?? 0) + 1)
  for (const [t, c] of titles) if (c !== 1) problems.push(`record ${t} exists ${c} times`)
  const shape = (r: { id: string; title: string; minutes: number; notes: string; date: string; kind: string }) =>
    JSON.stringify([r.id, r.title, Number(r.minutes), r.notes, r.date, r.kind])
  for (const d of devices) {
    const expected = all
      .filter((r) => r.deleted === 0 && (r.owner_id === d.user.id || (d.user.role === 'secretary' && r.branch_id === d.user.branchId)))
      .map(shape)
      .sort()
    const actual = (await d.db.study_records.toArray())
      .filter((r) => !r.deleted && r.title.startsWith(`sim-${opts.seed}-`))
      .map(shape)
      .sort()
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      const missing = expected.filter((x) => !actual.includes(x)).slice(0, 3)
      const extra = actual.filter((x) => !expected.includes(x)).slice(0, 3)
      problems.push(`${d.name} diverged from the server: missing ${missing.join(' ')} extra ${extra.join(' ')}`)
    }
  }

  // 投诉建议: the phones of the simulation (members and a secretary) hold exactly their own person's
  // items, never another's, with the answers the administrator gave.
  const feedbackRows = await server.handle.db.selectFrom('feedback').selectAll().where('deleted', '=', 0).execute()
  for (const d of devices) {
    const want = feedbackRows
      .filter((r) => r.author_id === d.user.id)
      .map((r) => `${r.id}:${r.answer}`)
      .sort()
    const local = (await d.db.feedback.toArray()).filter((f) => !f.deleted)
    const have = local.map((f) => `${f.id}:${f.answer}`).sort()
    if (JSON.stringify(want) !== JSON.stringify(have)) problems.push(`${d.name}: 投诉建议 differ from the server's own items`)
    if (local.some((f) => f.authorId !== d.user.id)) problems.push(`${d.name}: holds a 投诉建议 of somebody else`)
  }
  // 其他培训: each recorded once, however often its push was retried or replayed.
  const trainings = await server.handle.db
    .selectFrom('outside_trainings')
    .select('title')
    .where('title', 'like', `sim-${opts.seed}-training-%`)
    .execute()
  const trainingTitles = new Map<string, number>()
  for (const t of trainings) trainingTitles.set(t.title, (trainingTitles.get(t.title) ?? 0) + 1)
  for (const [t, c] of trainingTitles) if (c !== 1) problems.push(`outside training ${t} exists ${c} times`)
  if (opts.operations >= 400 && trainingsRecorded === 0) problems.push('the run recorded no outside training')

  // Oath renewals: each device holds exactly the server's visible ones.
  const oaths = await server.handle.db.selectFrom('oath_renewals').selectAll().where('deleted', '=', 0).execute()
  for (const d of devices) {
    const expected = oaths
      .filter((r) => r.owner_id === d.user.id || (d.user.role === 'secretary' && r.branch_id === d.user.branchId))
      .map((r) => r.id)
      .sort()
    const actual = (await d.db.oath_renewals.toArray())
      .filter((r) => !r.deleted)
      .map((r) => r.id)
      .sort()
    if (JSON.stringify(expected) !== JSON.stringify(actual))
      problems.push(`${d.name}: oath renewals differ from the server (${actual.length} vs ${expected.length})`)
  }

  // Each person's own dates: the same on every device as on the server.
  for (const d of devices) {
    const server_ = await server.handle.db
      .selectFrom('users')
      .select(['joined_party_on', 'full_member_on'])
      .where('id', '=', d.user.id)
      .executeTakeFirstOrThrow()
    const local = await d.db.users.get(d.user.id)
    const want = JSON.stringify([server_.joined_party_on, server_.full_member_on])
    const got = JSON.stringify([local?.joinedPartyOn ?? null, local?.fullMemberOn ?? null])
    if (want !== got) problems.push(`${d.name}: party dates ${got} differ from the server's ${want}`)
  }

  // Attendance: one row per member and meeting; every device holds exactly the server's rows it may see.
  if (meeting) {
    const rows = await server.handle.db.selectFrom('attendance').selectAll().where('meeting_id', '=', meeting.id).execute()
    if (new Set(rows.map((r) => r.member_id)).size !== rows.length) problems.push('a member has more than one attendance row')
    for (const d of devices) {
      const visible = rows
        .filter((r) => r.member_id === d.user.id || (d.user.role === 'secretary' && r.branch_id === d.user.branchId))
        .map((r) => JSON.stringify({ ...attendanceToWire(r), updatedAt: '' }))
        .sort()
      const local = (await d.db.attendance.toArray())
        .filter((r) => r.meetingId === meeting?.id)
        .map((r) => JSON.stringify({ ...r, updatedAt: '' }))
        .sort()
      if (JSON.stringify(visible) !== JSON.stringify(local))
        problems.push(`${d.name}: attendance differs from the server (${local.length} vs ${visible.length})`)
    }
  }

  // Visits and follow-ups: the run must have exercised them (what each device holds is the invariant above).
  const visitRows = await server.handle.db.selectFrom('visits').selectAll().where('deleted', '=', 0).execute()
  const followupRows = await server.handle.db.selectFrom('followups').selectAll().where('deleted', '=', 0).execute()
  if (opts.operations >= 400 && (visitsRecorded === 0 || closes === 0)) problems.push('the run recorded no visit or closed no follow-up')
  if (opts.operations >= 400 && (feedbackSent === 0 || feedbackAnswered === 0)) problems.push('the run sent or answered no 投诉建议')
  if (opts.operations >= 400 && (rectifyItems === 0 || rectifyCloses === 0)) problems.push('the run listed no 整改事项 or closed none')
  if (opts.operations >= 400 && restores === 0 && (visitRows.length === 0 || !followupRows.some((f) => f.closed_at)))
    problems.push('the server holds no visit or closed follow-up')

  // Reminder settings: every device of a person ends with the server's settings.
  for (const d of devices) {
    const row = await server.handle.db.selectFrom('reminder_settings').selectAll().where('id', '=', d.user.id).executeTakeFirst()
    const want = JSON.stringify(row ? { ...reminderSettingsToWire(row), updatedAt: '' } : null)
    const local = await d.db.reminder_settings.get(d.user.id)
    const got = JSON.stringify(local ? { ...local, updatedAt: '' } : null)
    if (want !== got) problems.push(`${d.name}: reminder settings ${got} differ from the server's ${want}`)
  }

  // 党费: a member-month is paid by one live receipt at most; the secretary's month recorded on two
  // phones is stored once; every live receipt's months are held for it, and no more.
  const live = await server.handle.db.selectFrom('dues_payments').selectAll().where('deleted', '=', 0).execute()
  const held = await server.handle.db.selectFrom('dues_paid_months').selectAll().execute()
  const covered = new Map<string, number>()
  for (const p of live)
    for (const m of JSON.parse(p.months) as string[]) covered.set(`${p.member_id}/${m}`, (covered.get(`${p.member_id}/${m}`) ?? 0) + 1)
  for (const [k, c] of covered) if (c > 1) problems.push(`党费 ${k} is covered by ${c} live receipts`)
  if (held.length !== covered.size || held.some((h) => !live.some((p) => p.id === h.payment_id)))
    problems.push(`党费: ${held.length} months held for ${covered.size} covered by live receipts`)
  if (collectorPhones.length >= 2 && opts.operations > 1 && (covered.get(`${org.secretaryA.id}/${month}`) ?? 0) !== 1)
    problems.push(`the secretary's ${month} recorded on two phones is stored ${covered.get(`${org.secretaryA.id}/${month}`) ?? 0} times`)
  let duplicateReceipts = 0
  for (const d of devices)
    for (const r of await d.db.rejected.toArray())
      if (r.mutation.table === 'dues_payments' && r.message.includes('已登记')) duplicateReceipts++

  await proxy.stop()
  await server.close()
  return {
    receipts,
    duplicateReceipts,
    seed: opts.seed,
    devices: opts.devices,
    operations: opts.operations,
    mutations,
    applied,
    rejected,
    kills,
    restarts,
    backups,
    restores,
    upgrades,
    scopeChanges,
    invariantChecks,
    ballots,
    voters,
    faults: proxy.stats,
    problems,
    ms: Date.now() - started,
  }
}
