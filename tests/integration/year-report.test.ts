import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { createMeeting } from '../../src/client/features/meetings/meetings.repo.ts'
import { addRectification } from '../../src/client/features/meetings/rectify.repo.ts'
import type { YearReport } from '../../src/core/contracts/year-report.ts'
import { newId } from '../../src/core/ids.ts'

/**
 * 述职评议 pack (the year's-end issue, item 6): one tap gives a branch's year generated from what
 * was recorded — no figure typed — and the organ's roll-up; facts with the rules they are held
 * against, never a talk's notes, never a score or a ranking.
 */
let server: TestServer
let org: Org
let secretary: Device
const year = 2026
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()
const NOTES = '谈话内容：家庭困难'

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  // The organisation and its branches have existed since the start of the year.
  await server.handle.db.updateTable('organizations').set({ created_at: '2025-12-31T16:00:00.000Z' }).execute()
  await server.handle.db.updateTable('branches').set({ started_on: '2026-01-01' }).execute()
  secretary = await device(server, org.secretaryA.phone)
  await sync(secretary)
  const base = {
    branchId: org.branchA,
    durationMinutes: 60,
    place: '',
    speaker: '',
    agenda: '',
    minutes: '',
    talkWithId: null,
    organiserId: org.secretaryA.id,
  }
  // 支部委员会 every month but March; one 党课 in the first quarter; an 组织生活会; a talk.
  for (const month of ['01', '02', '04', '05', '06', '07', '08', '09', '10', '11'])
    await createMeeting(secretary.db, secretary.user, {
      ...base,
      type: 'branch_committee',
      topic: `${month}月支委会`,
      startsAt: `${year}-${month}-05T02:00:00.000Z`,
      expectedIds: [org.secretaryA.id],
    })
  await createMeeting(secretary.db, secretary.user, {
    ...base,
    type: 'org_life',
    topic: '年度组织生活会',
    startsAt: `${year}-11-20T02:00:00.000Z`,
    expectedIds: [org.secretaryA.id, org.memberA.id, org.memberA2.id],
  })
  await createMeeting(secretary.db, secretary.user, {
    ...base,
    type: 'heart_talk',
    talkKind: 'heart',
    topic: '谈心',
    startsAt: `${year}-06-01T02:00:00.000Z`,
    expectedIds: [org.secretaryA.id, org.memberA.id],
    talkWithId: org.memberA.id,
    minutes: NOTES,
  })
  await addRectification(secretary.db, secretary.user, {
    branchId: org.branchA,
    year,
    text: '学习不经常',
    ownerId: org.memberA.id,
    dueOn: '2026-01-31',
  })
  await sync(secretary)
  expect(await secretary.db.rejected.count()).toBe(0)
})
afterAll(() => server.close())

const fact = (r: YearReport, section: string, label: string) =>
  r.sections.find((s) => s.title.endsWith(section))?.facts.find((f) => f.label === label)

describe('述职评议 pack', () => {
  it("a branch's year from what was recorded: rules with citations and the periods short, talks, the review, 整改", async () => {
    const jar = await signIn(server, org.secretaryA.phone)
    const res = await jar(`${server.url}/api/year-report/${org.branchA}/${year}`)
    expect(res.status).toBe(200)
    const r = (await res.json()) as YearReport
    expect(r.title).toBe(`第一党支部${year}年度党建工作述职评议材料`)
    const committee = fact(r, '组织生活制度落实', '支部委员会')
    expect(committee?.note).toBe('支部委员会：每月至少1次')
    // March has no meeting; December is short too once it has ended (the suite may run after this year).
    const short = ['3月', ...(Date.now() >= Date.parse('2027-01-01T00:00:00+08:00') ? ['12月'] : [])]
    expect(committee?.value).toBe(`未达要求：${short.join('、')}；共召开 10 次`)
    expect(fact(r, '会议与出勤', '召开会议')?.value).toBe('12 次')
    expect(fact(r, '谈心谈话', '应谈')?.value).toMatch(/^应谈 \d+ 对，已谈 1 对$/)
    expect(fact(r, '组织生活会和民主评议党员', '组织生活会')?.value).toBe('已召开（2026-11-20）')
    expect(fact(r, '组织生活会和民主评议党员', '民主评议党员')?.value).toBe('本年度尚未召开')
    expect(fact(r, '整改落实', '未销号')).toEqual({ label: '未销号', value: '1 项', note: '其中逾期 1 项' })
    // The year's review, 学时 and 党费 as counts (their own ledgers hold the names and figures).
    expect(fact(r, '组织生活会和民主评议党员', '年度评议')?.value).toBe('本年度尚未在应用中开展')
    expect(fact(r, '党员教育培训（学时）', '达到年度要求')?.note).toContain('不少于32学时')
    expect(fact(r, '党费收缴', '应交')?.value).toMatch(/^\d+ 人·月$/)
    expect(fact(r, '党费收缴', '未交')?.note).toBe('另有 3 人尚未申报党费基数')
    // Facts only: never a talk's notes, a score, a rank or a usage figure.
    const text = JSON.stringify(r)
    expect(text).not.toContain('家庭困难')
    expect(text).not.toMatch(/排名|得分|分数|在线时长|打卡/)
  })

  it("the organ's roll-up for administrators, every branch in the organisation's order; the workbook carries the same facts", async () => {
    const jar = await signIn(server, org.admin.phone)
    const r = (await (await jar(`${server.url}/api/year-report/org/${year}`)).json()) as YearReport
    const titles = r.sections.map((s) => s.title)
    expect(titles[0]).toBe('机关党委（领导班子）· 组织生活制度落实')
    expect(titles.findIndex((t) => t.startsWith('第一党支部'))).toBeLessThan(titles.findIndex((t) => t.startsWith('第二党支部')))
    const res = await jar(`${server.url}/api/year-report-xlsx/org/${year}.xlsx`)
    expect(res.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    const sheet = wb.getWorksheet('述职评议')!
    expect(String(sheet.getCell('A1').value)).toContain(`${year}年度党建工作情况`)
    const rows = (sheet.getSheetValues().slice(3) as unknown[][]).filter(Boolean)
    expect(rows.length).toBe(r.sections.reduce((n, s) => n + s.facts.length, 0))
  })

  it("the year's review as counts: papers handed in, who voted, how many graded — never a ballot or a grade", async () => {
    const db = server.handle.db
    const cycleId = newId()
    const now = new Date().toISOString()
    const subjects = [org.memberA.id, org.memberA2.id, org.secretaryA.id]
    const row = { org_id: org.orgId, branch_id: org.branchA, updated_at: now, seq: 0 }
    await db
      .insertInto('review_cycles')
      .values({
        ...row,
        id: cycleId,
        year,
        opens_on: '2026-11-01',
        life_meeting_on: null,
        assessment_on: null,
        prompt: '',
        meeting_id: null,
        ballot: 'closed',
        subject_ids: JSON.stringify(subjects),
        closed_at: now,
        created_at: now,
      })
      .execute()
    await db
      .insertInto('review_papers')
      .values({
        ...row,
        id: newId(),
        cycle_id: cycleId,
        author_id: org.memberA.id,
        kind: 'self_check',
        text: '我的对照检查',
        handed_in_at: now,
        created_at: now,
      })
      .execute()
    await db
      .insertInto('review_voters')
      .values({ cycle_id: cycleId, org_id: org.orgId, voter_ids: JSON.stringify(subjects.slice(0, 2).sort()) })
      .execute()
    await db
      .insertInto('review_grades')
      .values({
        ...row,
        id: newId(),
        cycle_id: cycleId,
        member_id: org.memberA.id,
        grade: 'excellent',
        feedback: '表现突出',
        graded_by: org.secretaryA.id,
      })
      .execute()
    const jar = await signIn(server, org.secretaryA.phone)
    const r = (await (await jar(`${server.url}/api/year-report/${org.branchA}/${year}`)).json()) as YearReport
    expect(fact(r, '组织生活会和民主评议党员', '对照检查材料')?.value).toBe('已交 1 份')
    expect(fact(r, '组织生活会和民主评议党员', '民主测评')?.value).toBe('已结束，2 人投票')
    expect(fact(r, '组织生活会和民主评议党员', '评定')?.value).toBe('已评定 1 人，共 3 人参加评议')
    expect(JSON.stringify(r)).not.toMatch(/我的对照检查|表现突出|优秀|excellent/)
  })

  it('refuses another branch, the roll-up to a secretary, and a bad year, in Chinese', async () => {
    const jar = await signIn(server, org.secretaryA.phone)
    const other = await jar(`${server.url}/api/year-report/${org.branchB}/${year}`)
    expect(other.status).toBe(403)
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe('只能生成本支部的述职评议材料')
    expect((await jar(`${server.url}/api/year-report/org/${year}`)).status).toBe(403)
    const bad = await jar(`${server.url}/api/year-report/${org.branchA}/1999`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('年份不正确')
  })
})
