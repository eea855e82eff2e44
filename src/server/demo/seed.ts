import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { newId } from '../../core/ids.ts'
import { chinaToday } from '../../core/domain/political-birthday.ts'
import { pick, seededRandom } from '../../core/seeded-random.ts'
import { STUDY_KINDS, type StudyKind } from '../../core/domain/study-kinds.ts'
import type { Role } from '../../core/domain/roles.ts'
import { hashPassword } from '../lib/passwords.ts'
import { nowIso } from '../lib/time.ts'
import { nextSeq } from '../repositories/sequence.ts'
import { createBranch, createOrganization, createUser } from '../repositories/organization.ts'

export const DEMO_PASSWORD = 'demo1234'
export const DEMO_ORG = '中共示范县纪委监委机关委员会'
export const DEMO_ACCOUNTS = {
  admin: '13900000001',
  secretary: '13900000011',
  member: '13900000101',
} as const

const BRANCHES = ['机关第一党支部', '机关第二党支部', '机关第三党支部']
const NAMES = [
  '王建国', '李秀英', '张伟', '刘芳', '陈志强', '杨丽华', '赵磊', '黄敏', '周海燕', '吴国庆',
  '徐静', '孙立新', '马晓红', '朱文斌', '胡春梅', '郭振华', '何雪梅', '高建平', '林晓燕', '罗志刚',
  '郑玉兰', '梁国栋', '谢红霞', '宋建军', '唐丽娟', '许文华', '韩冬梅', '冯志远', '邓淑芬', '曹永明',
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
    await trx.updateTable('organizations').set({ created_at: started.toISOString() }).where('id', '=', orgId).execute()
    const branchIds: string[] = []
    for (const name of BRANCHES) branchIds.push(await createBranch(trx, orgId, name, started.toISOString().slice(0, 10)))
    await createUser(trx, { orgId, branchId: branchIds[0] ?? null, name: '刘红梅', phone: DEMO_ACCOUNTS.admin, role: 'admin', passwordHash: hash })

    for (const [i, name] of NAMES.entries()) {
      const b = i % 3
      const role: Role = i < 3 ? 'secretary' : 'member'
      const phone = i < 3 ? `139000000${11 + i}` : `13900000${String(101 + i - 3).padStart(3, '0')}`
      const branchId = branchIds[b] ?? null
      // Each branch's committee (支部委员): its secretary and two members, expected at 支部委员会.
      const userId = await createUser(trx, { orgId, branchId, name, phone, role, passwordHash: hash, committee: i >= 9 && i < 15 })
      await trx.updateTable('users').set(demoPartyDates(i, today, rand)).where('id', '=', userId).execute()
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
  })
}
