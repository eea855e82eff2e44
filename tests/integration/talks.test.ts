import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { createMeeting } from '../../src/client/features/meetings/meetings.repo.ts'
import { MUTATION_VERSION, type PushResponse } from '../../src/core/sync/protocol.ts'
import { newId } from '../../src/core/ids.ts'
import type { Meeting } from '../../src/core/schemas/entities.ts'
import type { FetchFn } from '../../src/client/api/http.ts'

/**
 * 谈心谈话 (the year's-end issue, item 1): a 支部委员 records the talks they hold; the notes reach only
 * the two who talked — not the branch's secretary, not an administrator — and nobody else can make
 * the server hand them out by editing the talk.
 */
let server: TestServer
let org: Org
const dev = {} as Record<'secretary' | 'talker' | 'other' | 'admin' | 'outsider', Device>
let talk: Meeting
const NOTES = '谈话内容：谈了工作中的困难\n意见建议：多交流'
const AGENDA = '个人思想和工作情况'
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  dev.secretary = await device(server, org.secretaryA.phone)
  dev.talker = await device(server, org.memberA.phone)
  dev.other = await device(server, org.memberA2.phone)
  dev.admin = await device(server, org.admin.phone)
  dev.outsider = await device(server, org.memberB.phone)
  for (const d of Object.values(dev)) await sync(d)
  // Recorded offline by a member who is not a secretary (a 支部委员's talk with a member).
  talk = await createMeeting(dev.talker.db, dev.talker.user, {
    branchId: org.branchA,
    type: 'heart_talk',
    talkKind: 'integrity',
    topic: '年度谈心谈话',
    startsAt: new Date(Date.now() - 3600_000).toISOString(),
    durationMinutes: 30,
    place: '办公室',
    organiserId: org.memberA.id,
    speaker: '',
    expectedIds: [org.memberA.id, org.memberA2.id],
    agenda: AGENDA,
    minutes: NOTES,
    talkWithId: org.memberA2.id,
  })
  await sync(dev.talker)
  expect(await dev.talker.db.rejected.count()).toBe(0)
  for (const d of [dev.secretary, dev.other, dev.admin, dev.outsider]) await sync(d)
})
afterAll(() => server.close())

const push = async (f: FetchFn, fields: Record<string, unknown>, rowId = talk.id) =>
  (
    (await (
      await f(`${server.url}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: newId(),
          mutations: [
            {
              id: newId(),
              table: 'meetings',
              op: 'upsert',
              rowId,
              fields,
              base: {},
              clientTime: new Date().toISOString(),
              v: MUTATION_VERSION,
            },
          ],
        }),
      })
    ).json()) as PushResponse
  ).results[0]

describe('谈心谈话', () => {
  it('the notes reach the two who talked; the secretary and the administrator see only that it happened', async () => {
    for (const [who, d, reads] of [
      ['talker', dev.talker, true],
      ['other', dev.other, true],
      ['secretary', dev.secretary, false],
      ['admin', dev.admin, false],
    ] as const) {
      const row = await d.db.meetings.get(talk.id)
      expect(row?.talkKind, who).toBe('integrity')
      expect(row?.talkWithId, who).toBe(org.memberA2.id)
      expect(row?.minutes, who).toBe(reads ? NOTES : '')
      expect(row?.agenda, who).toBe(reads ? AGENDA : '')
    }
    expect(await dev.outsider.db.meetings.get(talk.id)).toBeUndefined()
  })

  it('nobody but the two writes the notes or changes who talked; the talk stays a talk', async () => {
    const secretary = await signIn(server, org.secretaryA.phone)
    const admin = await signIn(server, org.admin.phone)
    const other = await signIn(server, org.memberA2.phone)
    for (const [f, fields] of [
      [secretary, { minutes: '书记补充' }],
      [secretary, { agenda: '' }],
      [secretary, { talkWithId: org.secretaryA.id }],
      [admin, { organiserId: org.admin.id }],
    ] as const) {
      const r = await push(f, fields)
      expect(r?.status, JSON.stringify(fields)).toBe('rejected')
      expect(r?.code).toBe('forbidden')
      expect(r?.message).toBe('谈话记录只有谈话双方可以填写和查看')
    }
    const away = await push(secretary, { type: 'branch_committee' })
    expect(away).toMatchObject({ status: 'rejected', code: 'validation', message: '谈心谈话不能改为其他会议类型' })
    // The secretary still corrects the time or place of a talk in their branch; the other talker adds to the notes.
    expect((await push(secretary, { place: '谈话室' }))?.status).toBe('applied')
    expect((await push(other, { minutes: `${NOTES}\n补充：已落实` }))?.status).toBe('applied')
    const kindless = await push(secretary, { talkKind: 'heart' }, (await firstCommitteeMeeting()).id)
    expect(kindless).toMatchObject({ status: 'rejected', code: 'validation', message: '只有谈心谈话有谈话类别' })
  })

  it('a member records only their own talks, in their own branch', async () => {
    const member = await signIn(server, org.memberA.phone)
    const fields = (over: Record<string, unknown>) => ({
      branchId: org.branchA,
      type: 'heart_talk',
      talkKind: 'heart',
      topic: '谈心',
      startsAt: new Date().toISOString(),
      durationMinutes: 30,
      place: '',
      organiserId: org.memberA.id,
      speaker: '',
      expectedIds: [org.memberA.id, org.memberA2.id],
      agenda: '',
      minutes: '',
      talkWithId: org.memberA2.id,
      createdAt: new Date().toISOString(),
      signKey: 'k'.repeat(43),
      ...over,
    })
    expect((await push(member, fields({}), newId()))?.status).toBe('applied')
    for (const over of [
      { organiserId: org.memberA2.id },
      { branchId: org.branchB },
      { type: 'theme_day', talkKind: null, talkWithId: null },
    ]) {
      expect((await push(member, fields(over), newId()))?.code, JSON.stringify(over)).toBe('forbidden')
    }
  })

  it('the ledger says a talk happened, its kind and with whom, never its notes', async () => {
    const jar = await signIn(server, org.secretaryA.phone)
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear()
    const res = await jar(`${server.url}/api/ledger/${org.branchA}/${year}.xlsx`)
    expect(res.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    const rows = wb.getWorksheet('会议')!.getSheetValues().slice(3) as unknown[][]
    const row = rows.find((r) => r.includes('年度谈心谈话'))
    expect(row).toContain('谈心谈话·廉政谈话（与李四）')
    expect(row).toContain('（谈话记录仅谈话双方可见）')
    expect(JSON.stringify(rows)).not.toContain('谈了工作中的困难')
  })
})

/** A meeting that is not a talk, made by the secretary for the kind check. */
async function firstCommitteeMeeting(): Promise<Meeting> {
  const m = await createMeeting(dev.secretary.db, dev.secretary.user, {
    branchId: org.branchA,
    type: 'branch_committee',
    topic: '支委会',
    startsAt: new Date().toISOString(),
    durationMinutes: 60,
    place: '',
    organiserId: org.secretaryA.id,
    speaker: '',
    expectedIds: [org.secretaryA.id],
    agenda: '',
    minutes: '',
    talkWithId: null,
  })
  await sync(dev.secretary)
  return m
}
