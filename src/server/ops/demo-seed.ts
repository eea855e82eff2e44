import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { newId } from '../../core/ids.ts'
import { chinaToday } from '../../core/domain/china-time.ts'
import { pick, seededRandom } from '../../core/seeded-random.ts'
import { STUDY_KINDS, type StudyKind } from '../../core/domain/study-kinds.ts'
import type { Role } from '../../core/domain/roles.ts'
import { newMeetingKey } from '../../core/domain/sign-in-token.ts'
import { attendanceId } from '../../core/attendance-id.ts'
import type { MeetingType } from '../../core/domain/meetings.ts'
import { hashPassword } from '../lib/passwords.ts'
import { nowIso } from '../lib/time.ts'
import { nextSeq } from '../repositories/sequence.ts'
import { createBranch, createOrganization, createUser } from '../repositories/organization.ts'
import { addMonths, monthlyDue, monthOf, monthRange, quarterMonths, receiptNumber } from '../../core/domain/dues-rules.ts'

export const DEMO_PASSWORD = 'demo1234'
export const DEMO_ORG = '中共示范县纪委监委机关委员会'
export const DEMO_ACCOUNTS = {
  admin: '13900000001',
  secretary: '13900000011',
  member: '13900000101',
  /** 赵磊, 机关第一党支部's 党费收缴员. */
  collector: '13900000104',
} as const

const BRANCHES = ['机关第一党支部', '机关第二党支部', '机关第三党支部']
const NAMES = [
  '王建国',
  '李秀英',
  '张伟',
  '刘芳',
  '陈志强',
  '杨丽华',
  '赵磊',
  '黄敏',
  '周海燕',
  '吴国庆',
  '徐静',
  '孙立新',
  '马晓红',
  '朱文斌',
  '胡春梅',
  '郭振华',
  '何雪梅',
  '高建平',
  '林晓燕',
  '罗志刚',
  '郑玉兰',
  '梁国栋',
  '谢红霞',
  '宋建军',
  '唐丽娟',
  '许文华',
  '韩冬梅',
  '冯志远',
  '邓淑芬',
  '曹永明',
]
const TITLES: Record<StudyKind, string[]> = {
  first_topic: ['学习习近平总书记在中央纪委全会上的重要讲话', '学习总书记关于全面从严治党的重要论述'],
  study_group: ['中心组集中学习研讨：党风廉政建设新部署新要求', '中心组专题学习：《中国共产党纪律处分条例》'],
  branch_study: ['支部集中学习《关于新形势下党内政治生活的若干准则》', '支部集中学习党章第二章'],
  self_study: ['自学《习近平新时代中国特色社会主义思想学习纲要》', '自学《中国共产党章程》', '自学《监察法》及实施条例'],
  party_lesson: ['专题党课：强化政治机关意识、当好排头兵', '党课：弘扬伟大建党精神'],
  lecture: ['清风大讲堂：党的创新理论宣讲进机关', '清风大讲堂：纪检监察干部能力提升'],
  warning_education: ['警示教育：观看专题片并撰写心得', '警示教育：典型案例通报学习'],
  discipline_education: ['学习《中国共产党廉洁自律准则》', '家风教育专题学习'],
  xuexi_qiangguo: ['学习强国：本周学习积分自报', '学习强国：每周答题'],
}
const NOTES = [
  '',
  '通过学习，进一步增强了“四个意识”，坚定了“四个自信”。',
  '结合本职工作，要把学习成果转化为履职尽责的实际行动。',
  '深刻认识到严明政治纪律和政治规矩的重要性，今后要自觉对照检查。',
]

/**
 * 入党日期 / 转正日期 for the demo: the demo member (index 3) has a political birthday today, a few
 * others in the coming weeks (so the secretary's list is not empty), the rest spread over decades.
 */
function demoPartyDates(i: number, today: Date, rand: () => number): { joined_party_on: string; full_member_on: string } {
  const [, m, d] = chinaToday(today).split('-').map(Number) as [number, number, number]
  const year = 1985 + Math.floor(rand() * 36) // up to 2020: 转正 a year later is always in the past
  const soon = new Date(Date.UTC(year, m - 1, d + (i === 3 ? 0 : i < 9 ? 1 + 3 * i : Math.floor(rand() * 365))))
  const joined = soon.toISOString().slice(0, 10)
  const full = new Date(Date.UTC(soon.getUTCFullYear() + 1, soon.getUTCMonth(), soon.getUTCDate())).toISOString().slice(0, 10)
  return { joined_party_on: joined, full_member_on: full }
}

/** One organ Party committee, 3 branches, 30 people, a year of study records. */
export async function seedDemo(db: Kysely<Database>, today = new Date()): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD)
  const rand = seededRandom(20261128)
  await db.transaction().execute(async (trx) => {
    const orgId = await createOrganization(trx, DEMO_ORG)
    // The demo holds a year of records: its organisation and branches started a year ago.
    const started = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), 1))
    // Marked as the demo: its administrator is not made to enrol two-factor login (README, Security).
    await trx.updateTable('organizations').set({ created_at: started.toISOString(), demo: 1 }).where('id', '=', orgId).execute()
    const branchIds: string[] = []
    for (const name of BRANCHES) branchIds.push(await createBranch(trx, orgId, name, started.toISOString().slice(0, 10)))
    // One 党小组 per branch (its whole membership), so the monthly 党小组会 has people to expect.
    const groupIds: string[] = []
    for (const branchId of branchIds) {
      const id = newId()
      await trx
        .insertInto('party_groups')
        .values({ id, org_id: orgId, branch_id: branchId, name: '第一党小组', archived: 0, updated_at: nowIso() })
        .execute()
      groupIds.push(id)
    }
    const people: DemoPerson[] = []
    await createUser(trx, {
      orgId,
      branchId: branchIds[0] ?? null,
      name: '刘红梅',
      phone: DEMO_ACCOUNTS.admin,
      role: 'admin',
      passwordHash: hash,
    })

    for (const [i, name] of NAMES.entries()) {
      const b = i % 3
      const role: Role = i < 3 ? 'secretary' : 'member'
      const phone = i < 3 ? `139000000${11 + i}` : `13900000${String(101 + i - 3).padStart(3, '0')}`
      const branchId = branchIds[b] ?? null
      // Each branch's committee (支部委员): its secretary and two members, expected at 支部委员会.
      const committee = i >= 9 && i < 15
      const userId = await createUser(trx, {
        orgId,
        branchId,
        name,
        phone,
        role,
        passwordHash: hash,
        committee,
        groupId: groupIds[b] ?? null,
      })
      people.push({ id: userId, index: i, branchId: branchId ?? '', role, committee })
      await trx
        .updateTable('users')
        .set(demoPartyDates(i, today, rand))
        .where('id', '=', userId)
        .execute()
      for (let m = 11; m >= 0; m--) {
        const count = 1 + Math.floor(rand() * 3)
        for (let k = 0; k < count; k++) {
          const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - m, 1 + Math.floor(rand() * 27)))
          if (d > today) continue
          const kind = pick(rand, STUDY_KINDS)
          const now = nowIso()
          await trx
            .insertInto('study_records')
            .values({
              id: newId(),
              owner_id: userId,
              branch_id: branchId,
              org_id: orgId,
              kind,
              title: pick(rand, TITLES[kind]),
              date: d.toISOString().slice(0, 10),
              minutes: 20 + 10 * Math.floor(rand() * 10),
              notes: pick(rand, NOTES),
              source_url: '',
              created_at: d.toISOString(),
              updated_at: now,
              deleted: 0,
              seq: await nextSeq(trx),
            })
            .execute()
        }
      }
    }
    await seedDues(
      trx,
      orgId,
      branchIds[0] ?? '',
      people.filter((p) => p.branchId === branchIds[0]),
      monthOf(started.toISOString().slice(0, 10)),
      chinaToday(today),
    )
    for (const [b, branchId] of branchIds.entries())
      await seedBranchLife(
        trx,
        orgId,
        branchId,
        people.filter((p) => p.branchId === branchId),
        b,
        started,
        today,
      )
    await seedTraining(trx, orgId, people, today)
  })
}

interface DemoPerson {
  id: string
  index: number
  branchId: string
  role: Role
  committee: boolean
}

const PLACE = '机关三楼党员活动室'
const TOPICS: Record<MeetingType, string> = {
  branch_general: '支部党员大会：学习传达上级会议精神，通报支部工作',
  branch_committee: '支部委员会：研究本月支部工作安排',
  group: '党小组会：交流学习体会，开展批评与自我批评',
  party_lesson: '专题党课：严守纪律规矩，锻造纪检铁军',
  theme_day: '主题党日：重温入党誓词，开展志愿服务',
  study_group: '',
  org_life: '年度组织生活会：对照检查，开展批评与自我批评',
  democratic_life: '',
  appraisal: '年度民主评议党员',
  heart_talk: '',
  other: '',
}
/** The day of the month each type is held, at 09:00 China time. */
const DAY_OF_MONTH: Partial<Record<MeetingType, number>> = {
  branch_committee: 5,
  group: 10,
  theme_day: 15,
  party_lesson: 18,
  branch_general: 20,
  org_life: 22,
  appraisal: 24,
}

/** 09:00 China time (01:00 UTC) on a China date. */
const nineAm = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day, 1)).toISOString()

/**
 * A branch's organisational life for the months it has existed: every meeting the default rules
 * ask for in each past month (quarterly ones in each quarter's middle month, yearly ones in December),
 * with attendance (most present by scan, some on approved leave, one absent with a 补学 awaiting
 * confirmation), an upcoming 主题党日 with a pending leave request, and a 双联系 household with a
 * visit and an open follow-up. Rows have the shapes the sync handlers write, each with its change number.
 */
async function seedBranchLife(
  trx: Kysely<Database>,
  orgId: string,
  branchId: string,
  people: DemoPerson[],
  b: number,
  started: Date,
  today: Date,
): Promise<void> {
  const found = people.find((p) => p.role === 'secretary')
  if (!found) return
  const secretary: DemoPerson = found
  const members = people.filter((p) => p.role !== 'secretary')
  const [cy, cm] = chinaToday(today).split('-').map(Number) as [number, number, number]
  const startedOn = started.toISOString().slice(0, 10)
  const now = nowIso()

  async function meeting(type: MeetingType, startsAt: string, expected: DemoPerson[]): Promise<string> {
    const id = newId()
    const created = new Date(Date.parse(startsAt) - 7 * 86_400_000).toISOString()
    await trx
      .insertInto('meetings')
      .values({
        id,
        org_id: orgId,
        branch_id: branchId,
        type,
        topic: TOPICS[type],
        starts_at: startsAt,
        duration_minutes: type === 'branch_committee' ? 60 : 90,
        place: PLACE,
        organiser_id: secretary.id,
        speaker: type === 'party_lesson' ? '支部书记' : '',
        expected_ids: JSON.stringify(expected.map((p) => p.id)),
        agenda: '一、学习有关文件精神\n二、研究讨论\n三、支部书记讲话',
        minutes:
          Date.parse(startsAt) < today.getTime() ? '会议按议程进行，与会同志结合工作实际作了交流发言，会议对下一步工作作出安排。' : '',
        talk_with_id: null,
        sign_key: newMeetingKey(),
        photo_ids: '[]',
        created_by: secretary.id,
        created_at: created,
        updated_at: now,
        deleted: 0,
        seq: await nextSeq(trx),
      })
      .execute()
    return id
  }
  async function attend(
    meetingId: string,
    member: DemoPerson,
    startsAt: string,
    mark: 'present' | 'leave' | 'absent' | 'requested',
  ): Promise<void> {
    await trx
      .insertInto('attendance')
      .values({
        id: attendanceId(meetingId, member.id),
        org_id: orgId,
        branch_id: branchId,
        meeting_id: meetingId,
        member_id: member.id,
        status: mark === 'requested' ? null : mark,
        method: mark === 'requested' ? null : mark === 'present' ? 'scan' : 'manual',
        signed_at: mark === 'present' ? new Date(Date.parse(startsAt) - 5 * 60_000).toISOString() : null,
        leave_reason: mark === 'leave' || mark === 'requested' ? '因公出差' : '',
        leave_state: mark === 'leave' ? 'approved' : mark === 'requested' ? 'requested' : null,
        marked_by: mark === 'present' || mark === 'requested' ? null : secretary.id,
        note: '',
        updated_at: now,
        seq: await nextSeq(trx),
      })
      .execute()
  }

  // Months before the current China month, from the branch's start.
  let absentSeeded = false
  for (let k = 12; k >= 1; k--) {
    const at = new Date(Date.UTC(cy, cm - 1 - k, 1))
    const [y, mo] = [at.getUTCFullYear(), at.getUTCMonth() + 1]
    if (`${y}-${String(mo).padStart(2, '0')}-01` < startedOn) continue
    const types: MeetingType[] = ['branch_committee', 'group', 'theme_day']
    if (mo % 3 === 2) types.push('party_lesson', 'branch_general')
    if (mo === 12) types.push('org_life', 'appraisal')
    for (const type of types) {
      const startsAt = nineAm(y, mo, DAY_OF_MONTH[type] ?? 1)
      const expected = type === 'branch_committee' ? people.filter((p) => p.committee || p.role === 'secretary') : people
      const id = await meeting(type, startsAt, expected)
      for (const [j, p] of expected.entries()) {
        // Last month's 主题党日: one member absent (their 补学 awaits the secretary); now and then someone on approved leave.
        const absent = !absentSeeded && k === 1 && type === 'theme_day' && p === members[members.length - 1]
        const onLeave = p.role !== 'secretary' && (j + k + b) % 7 === 0
        await attend(id, p, startsAt, absent ? 'absent' : onLeave ? 'leave' : 'present')
        if (absent) {
          absentSeeded = true
          await trx
            .insertInto('makeups')
            .values({
              id: newId(),
              org_id: orgId,
              branch_id: branchId,
              meeting_id: id,
              member_id: p.id,
              content: '自学会议学习材料，重温入党誓词，撰写学习体会',
              date: chinaToday(new Date(Date.parse(startsAt) + 3 * 86_400_000)),
              notes: '因下乡走访未能参加，已补学。',
              confirmed_by: null,
              confirmed_at: null,
              created_at: new Date(Date.parse(startsAt) + 3 * 86_400_000).toISOString(),
              updated_at: now,
              deleted: 0,
              seq: await nextSeq(trx),
            })
            .execute()
        }
      }
    }
  }

  // An upcoming 主题党日 in three days, one member asking for leave.
  const soon = new Date(Date.UTC(cy, cm - 1, Number(chinaToday(today).slice(8)) + 3))
  const soonAt = nineAm(soon.getUTCFullYear(), soon.getUTCMonth() + 1, soon.getUTCDate())
  const upcoming = await meeting('theme_day', soonAt, people)
  const asking = members[0]
  if (asking) await attend(upcoming, asking, soonAt, 'requested')

  // 双联系: a household the branch keeps in touch with, a visit three weeks ago and its open follow-up.
  const visitors = [secretary, ...members.slice(0, 1)]
  const householdId = newId()
  const visitId = newId()
  const visitedAt = new Date(today.getTime() - 21 * 86_400_000)
  const household =
    (['城关镇东街社区 张大爷家', '城关镇西街社区 李奶奶家', '城关镇南街社区 王大哥家'] as const)[b % 3] ?? '城关镇东街社区 张大爷家'
  const [village, name] = household.split(' ') as [string, string]
  await trx
    .insertInto('households')
    .values({
      id: householdId,
      org_id: orgId,
      branch_id: branchId,
      name,
      address: `${village}${3 + b}号`,
      village,
      contact: '13800138000',
      situation: '独居老人，子女在外务工，患有慢性病',
      needs: '希望定期上门看望，帮助代购常用药品',
      member_ids: JSON.stringify(visitors.map((p) => p.id)),
      created_at: started.toISOString(),
      updated_at: now,
      deleted: 0,
      seq: await nextSeq(trx),
    })
    .execute()
  await trx
    .insertInto('visits')
    .values({
      id: visitId,
      org_id: orgId,
      branch_id: branchId,
      household_id: householdId,
      place: '',
      visited_at: visitedAt.toISOString(),
      member_ids: JSON.stringify(visitors.map((p) => p.id)),
      findings: '老人身体状况稳定，生活基本能够自理，家中取暖设施老化。',
      problems: '冬季取暖设施需要检修',
      location: null,
      photo_ids: '[]',
      created_by: secretary.id,
      created_at: visitedAt.toISOString(),
      updated_at: now,
      deleted: 0,
      seq: await nextSeq(trx),
    })
    .execute()
  await trx
    .insertInto('followups')
    .values({
      id: newId(),
      org_id: orgId,
      branch_id: branchId,
      household_id: householdId,
      visit_id: visitId,
      text: '联系社区协调检修取暖设施',
      owner_id: secretary.id,
      due_on: chinaToday(new Date(today.getTime() + 10 * 86_400_000)),
      closed_at: null,
      close_note: '',
      created_by: secretary.id,
      created_at: visitedAt.toISOString(),
      updated_at: now,
      deleted: 0,
      seq: await nextSeq(trx),
    })
    .execute()
}

/** Bases (分) for the demo's declarations: every bracket, and one at an edge. */
const DEMO_BASES = [685050, 420000, 300000, 985000, 1250000, 512000, 365000, 760000, 450000, 880000]

/**
 * 党费 of 机关第一党支部: 赵磊 (index 6) is its 收缴员; everyone has declared a base; the year's
 * months are paid month by month, except the demo member's current month, 马晓红's current
 * quarter (she pays by the quarter) and 郭振华's last two months (a 补交 to record); one 特殊党费.
 */
async function seedDues(
  trx: Kysely<Database>,
  orgId: string,
  branchId: string,
  people: DemoPerson[],
  fromMonth: string,
  today: string,
): Promise<void> {
  const collector = people.find((p) => p.index === 6)
  const secretary = people.find((p) => p.role === 'secretary')
  if (!collector || !secretary) return
  await trx
    .updateTable('branches')
    .set({ dues_collector_id: collector.id, seq: await nextSeq(trx) })
    .where('id', '=', branchId)
    .execute()
  const month = monthOf(today)
  const now = nowIso()
  const pay = async (
    p: DemoPerson,
    kind: 'monthly' | 'quarterly' | 'special',
    months: string[],
    receivedOn: string,
    base: number | null,
    amount: number,
    notes = '',
  ) => {
    const id = newId()
    await trx
      .insertInto('dues_payments')
      .values({
        id,
        org_id: orgId,
        branch_id: branchId,
        member_id: p.id,
        kind,
        months: JSON.stringify(months),
        amount_fen: amount,
        method: p.index % 2 ? 'transfer' : 'cash',
        category: base === null ? null : 'in_service',
        base_fen: base,
        monthly_fen: base === null ? null : monthlyDue('in_service', base, months[0] ?? month).dueFen,
        // Nobody records their own dues: the 收缴员's are taken by the secretary.
        collector_id: p.id === collector.id ? secretary.id : collector.id,
        received_on: receivedOn,
        receipt_no: receiptNumber(id, receivedOn),
        notes,
        created_at: now,
        updated_at: now,
        deleted: 0,
        seq: await nextSeq(trx),
      })
      .execute()
    if (months.length)
      await trx
        .insertInto('dues_paid_months')
        .values(months.map((m) => ({ member_id: p.id, month: m, payment_id: id })))
        .execute()
  }
  for (const [k, p] of people.entries()) {
    const base = DEMO_BASES[k % DEMO_BASES.length] ?? 450000
    await trx
      .insertInto('dues_profiles')
      .values({
        id: p.id,
        org_id: orgId,
        branch_id: branchId,
        member_id: p.id,
        category: 'in_service',
        base_fen: base,
        from_month: fromMonth,
        checked_on: `${addMonths(month, -2)}-05`,
        declared_by: p.id,
        updated_at: now,
        seq: await nextSeq(trx),
      })
      .execute()
    if (p.index === 12) {
      // 马晓红 pays by the quarter (with the branch's consent): every quarter before this one.
      const quarters = new Map<string, string[]>()
      for (const m of monthRange(fromMonth, addMonths(quarterMonths(month)[0] ?? month, -1))) {
        const q = quarterMonths(m)[0] ?? m
        quarters.set(q, [...(quarters.get(q) ?? []), m])
      }
      for (const months of quarters.values())
        await pay(
          p,
          'quarterly',
          months,
          `${months[0] ?? month}-10`,
          base,
          months.reduce((a, m) => a + monthlyDue('in_service', base, m).dueFen, 0),
        )
      continue
    }
    // The demo member leaves this month for the 收缴员 to record; another is two months behind (补交).
    const last = p.index === 3 ? addMonths(month, -1) : p.index === 15 ? addMonths(month, -3) : month
    for (const m of monthRange(fromMonth, last)) {
      const day = m === month ? today : `${m}-10`
      await pay(p, 'monthly', [m], day > today ? today : day, base, monthlyDue('in_service', base, m).dueFen)
    }
    if (p.index === 3) await pay(p, 'special', [], `${addMonths(month, -2)}-15`, null, 20000, '自愿交纳特殊党费，支援灾区')
  }
}

/**
 * 学时 in the demo: the organisation counts 党课, 主题党日 and 中心组学习 at 45 minutes a 学时 (so a
 * member present all year so far has about 26 of 32); in the first branch one member is a cadre
 * (90 学时), one is marked frail, one had 党校 training confirmed, the demo member has an online
 * course awaiting the secretary, one 预备党员's probation ends in 20 days, and one member has
 * stopped coming for four months (the six-month watch warns).
 */
async function seedTraining(trx: Kysely<Database>, orgId: string, people: DemoPerson[], today: Date): Promise<void> {
  await trx
    .updateTable('organizations')
    .set({ training: JSON.stringify({ types: ['party_lesson', 'theme_day', 'study_group'], minutesPerHour: 45 }) })
    .where('id', '=', orgId)
    .execute()
  const byIndex = (i: number) => people.find((p) => p.index === i)
  const secretary = byIndex(0)
  const now = nowIso()
  const flags: [number, { cadre: number; exempt: number }][] = [
    [12, { cadre: 1, exempt: 0 }],
    [27, { cadre: 0, exempt: 1 }],
  ]
  for (const [i, f] of flags) {
    const p = byIndex(i)
    if (p)
      await trx
        .insertInto('training_profiles')
        .values({ user_id: p.id, org_id: orgId, ...f, updated_by: secretary?.id ?? p.id, updated_at: now })
        .execute()
  }
  const day = (daysAgo: number) => chinaToday(new Date(today.getTime() - daysAgo * 86_400_000))
  const training = async (
    i: number,
    t: { kind: 'party_school' | 'online'; title: string; organiser: string; from: number; to: number; minutes: number },
    confirmed: boolean,
  ) => {
    const p = byIndex(i)
    if (!p) return
    await trx
      .insertInto('outside_trainings')
      .values({
        id: newId(),
        org_id: orgId,
        branch_id: p.branchId,
        member_id: p.id,
        kind: t.kind,
        title: t.title,
        organiser: t.organiser,
        start_on: day(t.from),
        end_on: day(t.to),
        minutes: t.minutes,
        photo_ids: '[]',
        notes: '',
        confirmed_by: confirmed ? (secretary?.id ?? null) : null,
        confirmed_at: confirmed ? new Date(today.getTime() - (t.to - 2) * 86_400_000).toISOString() : null,
        created_at: new Date(today.getTime() - t.to * 86_400_000).toISOString(),
        updated_at: now,
        deleted: 0,
        seq: await nextSeq(trx),
      })
      .execute()
  }
  await training(6, { kind: 'party_school', title: '县委党校党员轮训班', organiser: '县委党校', from: 124, to: 120, minutes: 1200 }, true)
  await training(
    3,
    { kind: 'online', title: '网络培训：《中国共产党纪律处分条例》专题', organiser: '县直机关工委', from: 12, to: 10, minutes: 180 },
    false,
  )
  // A 预备党员 admitted 345 days ago: the probation ends in 20 days.
  const probationer = byIndex(24)
  if (probationer)
    await trx
      .updateTable('users')
      .set({ status: 'probationary', joined_party_on: day(345), full_member_on: null })
      .where('id', '=', probationer.id)
      .execute()
  // One member has not come for four months: marked absent at every meeting since.
  const away = byIndex(21)
  const [y, m] = chinaToday(today).split('-').map(Number) as [number, number]
  const since = new Date(Date.UTC(y, m - 1 - 4, 1)).toISOString()
  if (away) {
    const missed = await trx
      .selectFrom('attendance')
      .innerJoin('meetings', 'meetings.id', 'attendance.meeting_id')
      .select('attendance.id')
      .where('attendance.member_id', '=', away.id)
      .where('meetings.starts_at', '>=', since)
      .execute()
    for (const a of missed)
      await trx
        .updateTable('attendance')
        .set({
          status: 'absent',
          method: 'manual',
          signed_at: null,
          leave_reason: '',
          leave_state: null,
          marked_by: secretary?.id ?? null,
          seq: await nextSeq(trx),
        })
        .where('id', '=', a.id)
        .execute()
  }
}
