import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { device, seedOrg, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { createStudy } from '../../src/client/features/study/study.repo.ts'
import { savePartyDates } from '../../src/client/features/party/party.repo.ts'
import { saveReminderPrefs } from '../../src/client/features/reminders/reminders.repo.ts'
import { createMeeting, requestLeave, signInWithCode } from '../../src/client/features/meetings/meetings.repo.ts'
import { recordVisit, saveHousehold } from '../../src/client/features/visits/visits.repo.ts'
import { uploadPendingPhotos } from '../../src/client/photos/upload-queue.ts'
import { signInLink, signToken, windowOf } from '../../src/core/domain/sign-in-token.ts'
import { parseCursor } from '../../src/core/sync/protocol.ts'
import { backup, restore } from '../../src/server/ops/backup.ts'
import { freshPullDifferences } from './simulation/fresh-pull.ts'
import { chance, seeded } from './simulation/random.ts'

/**
 * A backup taken under load, writes acknowledged after it, a restore, then the phones coming back
 * in any order: every phone ends equal to a fresh pull, and every acknowledged write that a phone
 * still holds is back on the server (docs/sync.md, "Restore").
 */
let server: TestServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

const draft = (title: string) => ({
  kind: 'self_study' as const,
  title,
  date: '2026-11-20',
  minutes: 30,
  notes: `${title} 心得`,
  sourceUrl: '',
})
const engines = new WeakMap<Device, SyncEngine>()
const sync = (d: Device) => {
  const e = engines.get(d) ?? new SyncEngine(d.db, d.api, { pullLimit: 7 })
  engines.set(d, e)
  return e.sync()
}

async function scenario(seed: number) {
  const s = await startServer()
  server = s
  const org: Org = await seedOrg(s.handle)
  const m1 = await device(s, org.memberA.phone)
  const m1b = await device(s, org.memberA.phone) // a second phone of 张三, off since before the backup
  const m2 = await device(s, org.memberA2.phone)
  const sec = await device(s, org.secretaryA.phone)
  const phones = [m1, m1b, m2, sec]
  const household = await saveHousehold(sec.db, sec.user, null, {
    branchId: org.branchA,
    name: '刘奶奶',
    address: '北村1号',
    village: '北村',
    contact: '',
    situation: '独居',
    needs: '',
    memberIds: [org.memberA.id],
  })
  await createStudy(m1.db, m1.user, draft('备份前-张三'))
  for (const d of phones) await sync(d)
  for (const d of phones) expect(await sync(d)).toEqual({ ok: true })

  // The backup, taken while 李四's phone keeps writing and syncing.
  let typing = true
  const traffic = (async () => {
    for (let i = 0; typing; i++) {
      await createStudy(m2.db, m2.user, draft(`备份时-李四-${i}`))
      await sync(m2)
    }
  })()
  await new Promise((r) => setTimeout(r, 30))
  const { dir } = await backup({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, outDir: join(s.dataDir, 'backups') })
  await new Promise((r) => setTimeout(r, 30))
  typing = false
  await traffic

  // After the backup: a meeting, a sign-in, leave, a visit with a promised action, settings, dates.
  const meeting = await createMeeting(sec.db, sec.user, {
    branchId: org.branchA,
    type: 'branch_general',
    topic: '党员大会',
    startsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    durationMinutes: 90,
    place: '三楼会议室',
    organiserId: org.secretaryA.id,
    speaker: '',
    expectedIds: [org.memberA.id, org.memberA2.id],
    agenda: '',
    minutes: '',
    talkWithId: null,
  })
  expect(await sync(sec)).toEqual({ ok: true })
  const w = windowOf(Date.now())
  await signInWithCode(m1.db, m1.user, signInLink('https://app', meeting.id, w, await signToken(meeting.signKey ?? '', meeting.id, w)))
  await createStudy(m1.db, m1.user, draft('备份后-张三'))
  await recordVisit(m1.db, m1.user, {
    householdId: household,
    place: '',
    visitedAt: new Date().toISOString(),
    memberIds: [org.memberA.id],
    findings: '备份后的走访',
    problems: '',
    location: null,
    photos: [],
    followups: [{ text: '代办医保', ownerId: org.memberA.id, dueOn: '2026-12-15' }],
  })
  await saveReminderPrefs(m1.db, m1.user, { quietStart: '21:30' })
  await savePartyDates(m1.db, m1.user.id, { joinedPartyOn: '2001-07-01', fullMemberOn: '2002-07-01' })
  expect(await sync(m1)).toEqual({ ok: true })
  expect(await sync(m2)).toEqual({ ok: true })
  const m2Meeting = await m2.db.meetings.get(meeting.id)
  if (!m2Meeting) throw new Error('李四 does not have the meeting')
  await requestLeave(m2.db, m2.user, m2Meeting, '下乡调研')
  await createStudy(m2.db, m2.user, draft('备份后-李四'))
  expect(await sync(m2)).toEqual({ ok: true })
  for (const d of [m1, m2, sec]) expect(await d.db.outbox.count()).toBe(0)

  // Everything the server acknowledged that some phone still holds.
  const titles = new Set<string>()
  for (const d of phones) for (const r of await d.db.study_records.toArray()) titles.add(r.title)

  await s.restartAfter(async () => {
    await restore({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, from: dir })
  })
  expect((await s.handle.db.selectFrom('meetings').select('id').where('id', '=', meeting.id).execute()).length).toBe(0)

  // The phones come back in a random order, a few rounds each.
  const rand = seeded(seed)
  for (let round = 0; round < 4; round++) {
    const order = [...phones].sort(() => (chance(rand, 0.5) ? 1 : -1))
    for (const d of order) if (round > 0 || chance(rand, 0.8)) await sync(d)
  }
  for (const d of phones) expect(await sync(d)).toEqual({ ok: true })

  const db = s.handle.db
  const serverTitles = new Set(
    (await db.selectFrom('study_records').select('title').where('deleted', '=', 0).execute()).map((r) => r.title),
  )
  expect([...titles].filter((t) => !serverTitles.has(t))).toEqual([])
  expect(await db.selectFrom('meetings').select(['topic', 'sign_key']).where('id', '=', meeting.id).executeTakeFirst()).toMatchObject({
    topic: '党员大会',
    sign_key: meeting.signKey,
  })
  const attendance = await db.selectFrom('attendance').selectAll().where('meeting_id', '=', meeting.id).orderBy('member_id').execute()
  expect(attendance.map((a) => [a.member_id, a.status, a.method, a.leave_reason].join('|')).sort()).toEqual(
    [`${org.memberA.id}|present|scan|`, `${org.memberA2.id}||null|下乡调研`].map((x) => x.replace('|null|', '||')).sort(),
  )
  expect(await db.selectFrom('visits').select('findings').where('findings', '=', '备份后的走访').execute()).toHaveLength(1)
  expect(await db.selectFrom('followups').select('text').where('text', '=', '代办医保').execute()).toHaveLength(1)
  expect(await db.selectFrom('reminder_settings').select('quiet_start').where('id', '=', org.memberA.id).executeTakeFirst()).toMatchObject({
    quiet_start: '21:30',
  })
  expect(
    await db.selectFrom('users').select(['joined_party_on', 'full_member_on']).where('id', '=', org.memberA.id).executeTakeFirst(),
  ).toEqual({ joined_party_on: '2001-07-01', full_member_on: '2002-07-01' })
  for (const d of phones) {
    expect(await d.db.outbox.count()).toBe(0)
    expect((await d.db.rejected.toArray()).map((r) => `${r.code}: ${r.message}`)).toEqual([])
    expect(await freshPullDifferences(d.user.name, d.db, d.api)).toEqual([])
  }
}

describe('restoring a backup taken under load', () => {
  for (const seed of [1, 2, 3]) {
    it(
      `every phone ends equal to a fresh pull and every acknowledged write it holds is back (order ${seed})`,
      () => scenario(seed),
      120_000,
    )
  }

  it.skipIf(process.env.TEST_DATABASE_URL)('a database put back by hand (without npm run restore) is noticed at start', async () => {
    const s = await startServer()
    server = s
    const org = await seedOrg(s.handle)
    const m = await device(s, org.memberA.phone)
    await createStudy(m.db, m.user, draft('一'))
    expect(await sync(m)).toEqual({ ok: true })
    const { dir } = await backup({ dataDir: s.dataDir, outDir: join(s.dataDir, 'backups') })
    await createStudy(m.db, m.user, draft('二'))
    expect(await sync(m)).toEqual({ ok: true })
    const before = parseCursor(String((await m.db.meta.get('cursor'))?.value))
    await s.restartAfter(async () => {
      for (const suffix of ['-wal', '-shm']) rmSync(join(s.dataDir, `suixing.sqlite${suffix}`), { force: true })
      copyFileSync(join(dir, 'suixing.sqlite'), join(s.dataDir, 'suixing.sqlite'))
    })
    await m.api.me().catch(() => undefined) // the test's connection pool still holds a socket to the stopped server
    const page = await m.api.pull(String((await m.db.meta.get('cursor'))?.value), 100)
    expect(page).toMatchObject({ reset: true, resetReason: 'restored' })
    expect(parseCursor(page.cursor)?.epoch).not.toBe(before?.epoch)
    expect(await sync(m)).toEqual({ ok: true })
    expect(
      (await s.handle.db.selectFrom('study_records').select('title').where('deleted', '=', 0).execute()).map((r) => r.title).sort(),
    ).toEqual(['一', '二'])
  })
})

describe("the README's commands", () => {
  it.skipIf(process.env.TEST_DATABASE_URL)(
    'npm run backup writes a checked copy; npm run restore puts it back with a new generation',
    async () => {
      const s = await startServer()
      server = s
      const org = await seedOrg(s.handle)
      const m = await device(s, org.memberA.phone)
      await createStudy(m.db, m.user, draft('命令行备份前'))
      expect(await sync(m)).toEqual({ ok: true })
      const run = (...args: string[]) =>
        spawnSync('npx', ['tsx', 'src/server/ops/cli.ts', ...args], {
          encoding: 'utf8',
          env: { ...process.env, DATA_DIR: s.dataDir, DATABASE_URL: '' },
        })
      const made = run('backup', join(s.dataDir, 'cli-backups'))
      expect(made.status, made.stderr).toBe(0)
      expect(made.stdout).toContain('备份完成')
      const dir = readdirSync(join(s.dataDir, 'cli-backups')).map((n) => join(s.dataDir, 'cli-backups', n))[0] ?? ''
      expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ dialect: 'sqlite', epoch: s.handle.epoch })
      await createStudy(m.db, m.user, draft('命令行备份后'))
      expect(await sync(m)).toEqual({ ok: true })

      await s.restartAfter(async () => {
        const restored = run('restore', dir)
        expect(restored.status, restored.stderr).toBe(0)
        expect(restored.stdout).toContain('恢复完成')
      })
      expect(s.handle.epoch).not.toBe(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).epoch)
      await m.api.me().catch(() => undefined) // the test's connection pool still holds a socket to the stopped server
      expect(await sync(m)).toEqual({ ok: true })
      expect(
        (await s.handle.db.selectFrom('study_records').select('title').where('deleted', '=', 0).execute()).map((r) => r.title).sort(),
      ).toEqual(['命令行备份前', '命令行备份后'].sort())
    },
    60_000,
  )
})

describe('photos after a restore', () => {
  it('a visit photo the restored server lost is uploaded again from the phone that still holds it', async () => {
    const s = await startServer()
    server = s
    const org = await seedOrg(s.handle)
    const sec = await device(s, org.secretaryA.phone)
    const m = await device(s, org.memberA.phone)
    const household = await saveHousehold(sec.db, sec.user, null, {
      branchId: org.branchA,
      name: '赵大爷',
      address: '',
      village: '西村',
      contact: '',
      situation: '',
      needs: '',
      memberIds: [org.memberA.id],
    })
    expect(await sync(sec)).toEqual({ ok: true })
    expect(await sync(m)).toEqual({ ok: true })
    const { dir } = await backup({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, outDir: join(s.dataDir, 'backups') })

    const bytes = new Uint8Array(300_000)
    bytes.set([0xff, 0xd8, 0xff, 0xe0])
    for (let i = 4; i < bytes.length; i++) bytes[i] = (i * 7) % 251
    const visitId = await recordVisit(m.db, m.user, {
      householdId: household,
      place: '',
      visitedAt: new Date().toISOString(),
      memberIds: [org.memberA.id],
      findings: '带照片的走访',
      problems: '',
      location: null,
      photos: [{ blob: new Blob([bytes], { type: 'image/jpeg' }), width: 1600, height: 1200 }],
      followups: [],
    })
    expect(await sync(m)).toEqual({ ok: true })
    expect(await uploadPendingPhotos(m.db, m.api)).toEqual({ uploaded: 1, waiting: 0 })
    const photoId = ((await m.db.visits.get(visitId))?.photoIds ?? [])[0] ?? ''

    // The machine is lost: the backup goes onto a new one, without the photos taken since.
    await s.restartAfter(async () => {
      rmSync(join(s.dataDir, 'photos'), { recursive: true, force: true })
      await restore({ dataDir: s.dataDir, databaseUrl: s.databaseUrl, from: dir })
    })
    await m.api.me().catch(() => undefined) // the test's connection pool still holds a socket to the stopped server
    expect(await sync(m)).toEqual({ ok: true })
    expect(await uploadPendingPhotos(m.db, m.api)).toEqual({ uploaded: 1, waiting: 0 })
    expect(
      await s.handle.db.selectFrom('photos').select(['complete', 'owner_id']).where('id', '=', photoId).executeTakeFirst(),
    ).toMatchObject({ complete: 1, owner_id: visitId })
    expect(new Uint8Array(readFileSync(join(s.dataDir, 'photos', photoId)))).toEqual(bytes)
  }, 60_000)
})
