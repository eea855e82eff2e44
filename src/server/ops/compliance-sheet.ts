import { resolve } from 'node:path'
import { APP_FUNCTIONS } from '../../core/compliance/app-functions.ts'
import { DATA_PURPOSES, SERVER_STORES } from '../../core/compliance/data-purposes.ts'
import { SYNCED_TABLES } from '../../core/sync/tables.ts'
import { COMMON_PASSWORDS, PASSWORD_MIN_LENGTH } from '../../core/domain/password-policy.ts'
import { DEFAULT_LOGIN_LIMITS, FIRST_LOCK_MS, MAX_LOCK_MS } from '../lib/attempt-limits.ts'
import { SCRYPT_PARAMS } from '../lib/passwords.ts'
import { AUDIT_MIN_RETENTION_DAYS, BEFORE_ENROLMENT, securityFromEnv } from '../lib/security-config.ts'
import { SESSION_DAYS } from '../repositories/sessions.ts'
import { DEFAULT_PUSH_HOSTS } from '../services/push/web-push.ts'
import { CHALLENGE_MS, RECOVERY_CODE_COUNT } from '../services/security/two-factor.ts'

/**
 * The facts a 备案 (网信办) or 等保 form asks for, generated from the code and the configuration
 * (the same environment as the server): functions, data and purposes, where data is stored, the
 * third parties the server contacts, retention, authentication and the statement about clock-in,
 * points, online time and ranking. `npm run compliance-sheet [-- <file.md>]`.
 */
export type Env = Record<string, string | undefined>

/** A third party the server contacts at run time, when its configuration is present. One line per channel. */
export interface RuntimeThirdParty {
  name: string
  /** The environment keys that switch it on (any present: configured). Empty: always on. */
  keys: readonly string[]
  /** Where it connects. */
  contacts: (env: Env) => string
  /** What is sent. */
  data: string
}

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)

export const THIRD_PARTIES: readonly RuntimeThirdParty[] = [
  {
    name: '手机通知（Web Push，由手机浏览器厂商的推送服务转发）',
    keys: [],
    contacts: (env) => [...DEFAULT_PUSH_HOSTS, ...list(env.PUSH_HOSTS)].map((h) => (h.startsWith('.') ? `*${h}` : h)).join('、'),
    data: '仅发给本人开启通知的手机：加密的提醒文字（政治生日、会议、未同步等），推送服务无法读取内容',
  },
]

/** Configuration that looks like an outside channel not listed above: printed so that nothing is left off the form. */
const CHANNEL_KEY = /^(SMS|ALIYUN|ALIBABA|TENCENT|WECOM|WEWORK|WXWORK|DINGTALK|FEISHU|SMTP|MAIL)_/

export interface SheetSection {
  title: string
  body: string
}

export interface SheetInput {
  env: Env
  version: string
  /** China time of generation. */
  now?: Date
}

const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`),
  ].join('\n')

/** Where the database is, without its password. */
function databaseLocation(env: Env): { kind: string; where: string } {
  if (env.DATABASE_URL) {
    const u = new URL(env.DATABASE_URL)
    return { kind: 'PostgreSQL', where: `${u.hostname}${u.port ? `:${u.port}` : ''}，数据库 ${u.pathname.slice(1) || '（默认）'}` }
  }
  const dir = resolve(env.DATA_DIR ?? './data')
  return { kind: 'SQLite（单文件数据库）', where: `${dir}/suixing.sqlite` }
}

export function complianceSections(input: SheetInput): SheetSection[] {
  const { env } = input
  const security = securityFromEnv(env)
  const db = databaseLocation(env)
  const dataDir = resolve(env.DATA_DIR ?? './data')
  const configured = THIRD_PARTIES.filter((t) => t.keys.length === 0 || t.keys.some((k) => env[k]))
  const known = new Set(THIRD_PARTIES.flatMap((t) => t.keys))
  const unlisted = Object.keys(env)
    .filter((k) => CHANNEL_KEY.test(k) && !known.has(k) && env[k])
    .sort()

  return [
    {
      title: '一、应用基本信息',
      body: table(
        ['项目', '内容'],
        [
          ['名称', '党建随行'],
          ['版本', input.version],
          ['形态', '渐进式网页应用（PWA），通过浏览器访问或添加到桌面；无应用商店安装包，无第三方 SDK'],
          ['服务对象', '本机关党员、党支部书记、机关党委管理员（账号由管理员导入并发放激活码，不对外开放注册）'],
        ],
      ),
    },
    {
      title: '二、功能清单',
      body: table(
        ['功能', '说明', '使用者', '页面'],
        APP_FUNCTIONS.map((f) => [f.name, f.what, f.who, f.paths.join('、')]),
      ),
    },
    {
      title: '三、收集的数据项及用途',
      body: [
        '### 手机与服务器同步的数据',
        ...SYNCED_TABLES.map((t) => {
          const p = DATA_PURPOSES[t] as { name: string; purpose: string; seenBy: string; fields: Record<string, string> }
          return [
            `#### ${p.name}（${t}）`,
            `用途：${p.purpose}。可见范围：${p.seenBy}。`,
            '',
            table(
              ['字段', '含义'],
              Object.entries(p.fields).map(([k, v]) => [k, v]),
            ),
          ].join('\n')
        }),
        '### 仅在服务器保存的数据',
        table(
          ['数据', '用途', '数据项', '保存期限'],
          Object.entries(SERVER_STORES).map(([k, s]) => [`${s.name}（${k}）`, s.purpose, s.items, s.kept]),
        ),
      ].join('\n\n'),
    },
    {
      title: '四、数据存储位置',
      body: table(
        ['项目', '内容'],
        [
          ['数据库', `${db.kind}：${db.where}`],
          ['照片文件', `${dataDir}/photos`],
          ['备份（npm run backup）', `${dataDir}/backups（或运行备份时指定的目录）`],
          ['手机本地', '浏览器 IndexedDB，按账号分库；远程退出登录或重置密码后在下次联网时清除'],
          ['说明', '服务器由部署单位自行提供和管理，应用不使用任何云服务或内容分发网络；数据存放地即上述服务器所在地'],
        ],
      ),
    },
    {
      title: '五、运行时连接的第三方',
      body: [
        table(
          ['第三方', '连接地址', '传输的数据'],
          configured.map((t) => [t.name, t.contacts(env), t.data]),
        ),
        unlisted.length
          ? `注意：以下配置项看似外部服务，但未登记在本表中，请补充说明：${unlisted.join('、')}`
          : '除上表外，服务器不连接任何外部服务；网页不加载任何第三方资源（内容安全策略禁止），无统计分析、无广告、无第三方 SDK。',
      ].join('\n\n'),
    },
    {
      title: '六、保存期限',
      body: table(
        ['数据', '保存期限', '依据（配置或代码）'],
        [
          [
            '审计日志',
            `${security.auditRetentionDays} 天（不少于 ${AUDIT_MIN_RETENTION_DAYS} 天），每日自动清理更早的记录`,
            'AUDIT_RETENTION_DAYS；数据库触发器拒绝删除六个月内的记录',
          ],
          ['登录会话', `${SESSION_DAYS} 天未使用即失效`, 'repositories/sessions.ts'],
          ['登录失败记录', '1 天', 'lib/attempt-limits.ts'],
          ['两步登录中间状态', `${CHALLENGE_MS / 60_000} 分钟`, 'services/security/two-factor.ts'],
          ['未完成的照片上传', '7 天', 'routes/photos.ts'],
          ['其他业务数据', '保存至删除或人员移除', '—'],
        ],
      ),
    },
    {
      title: '七、身份鉴别与访问控制',
      body: table(
        ['措施', '内容'],
        [
          [
            '口令复杂度',
            `至少 ${PASSWORD_MIN_LENGTH} 位，字母、数字、符号中至少两种，不得包含手机号或姓名，拒绝 ${COMMON_PASSWORDS.size} 个常见弱口令（服务器与客户端同一规则）；登录时发现不符合要求的旧口令，提示本人修改`,
          ],
          ['口令存储', `scrypt（N=${SCRYPT_PARAMS.N}, r=${SCRYPT_PARAMS.r}, p=${SCRYPT_PARAMS.p}）加盐散列，不保存明文`],
          [
            '登录失败处理',
            `每账号每分钟 ${DEFAULT_LOGIN_LIMITS.perAccountPerMinute} 次、每地址 ${DEFAULT_LOGIN_LIMITS.perAddressPerMinute} 次；连续失败 ${DEFAULT_LOGIN_LIMITS.failuresBeforeLock} 次锁定 ${FIRST_LOCK_MS / 60_000} 分钟，逐次加倍至 ${MAX_LOCK_MS / 60_000} 分钟；账号存在与否提示相同`,
          ],
          [
            '两步验证（双因素）',
            security.requireAdminTwoFactor
              ? `管理员必须使用（口令 + 基于时间的动态验证码 TOTP，RFC 6238，HMAC 密码算法），支部书记可选；未设置的管理员登录后只能进行设置（${BEFORE_ENROLMENT.join('、')}）；${RECOVERY_CODE_COUNT} 个一次性恢复码（散列保存）；密钥 AES-256-GCM 加密保存，设置后不再返回；同一验证码只能使用一次；示范组织除外`
              : '已通过 ADMIN_2FA=optional 关闭强制要求：管理员与支部书记可自愿开启',
          ],
          [
            '会话超时',
            security.managerIdleMinutes > 0
              ? `管理员与支部书记 ${security.managerIdleMinutes} 分钟无管理操作后，再进行管理操作须重新登录（ADMIN_IDLE_MINUTES）；党员手机离线使用与同步不受影响，未同步内容不丢失`
              : '已通过 ADMIN_IDLE_MINUTES=0 关闭',
          ],
          [
            '会话令牌',
            '随机 256 位，仅保存散列；Cookie 为 HttpOnly、SameSite=Strict' +
              (env.COOKIE_SECURE === '1' ? '、Secure' : '（部署于 HTTPS 时请设 COOKIE_SECURE=1）'),
          ],
          ['访问控制', '每次读写在服务器按角色与支部授权（党员仅本人，书记本支部，管理员本单位）；远程退出丢失设备'],
          ['审计', '管理操作、登录与失败、两步验证、权限变更、导出、删除、设置修改均记入审计日志；日志只可追加，数据库拒绝修改'],
          ['传输', '部署于 HTTPS 反向代理之后（见 README 部署一节）；同源策略、内容安全策略'],
        ],
      ),
    },
    {
      title: '八、关于打卡、积分、在线时长与排名的说明',
      body: [
        '本应用**不设**强制每日打卡签到、**不设**积分或排名、**不统计**在线时长或使用率，不以学习时长或网络投票作为考核依据，不强制上传照片或位置：',
        '',
        '- 会议签到仅用于三会一课等会议的考勤台账，不是每日打卡；',
        '- 学习时长由党员本人自报，仅本人和本支部书记可见，按姓名列出，不排序、不计百分比；',
        '- 服务器只记录每个登录会话的最近使用时间（最多每 5 分钟一次，用于本人区分和退出设备），不累计在线时长；',
        '- 照片与位置均由本人点选后才记录。',
        '',
        '由自动测试保证：tests/integration/compliance.test.ts 检查全部接口、页面和同步字段中没有打卡、积分、排名、在线时长类功能，新增此类内容会使测试失败。',
      ].join('\n'),
    },
  ]
}

export function complianceSheet(input: SheetInput): string {
  const at = new Date((input.now ?? new Date()).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
  return [
    '# 党建随行 备案与等级保护资料表',
    `生成时间：${at}（北京时间），由 \`npm run compliance-sheet\` 根据代码与当前配置生成，请勿手工修改。`,
    ...complianceSections(input).map((s) => `## ${s.title}\n\n${s.body}`),
  ].join('\n\n')
}
