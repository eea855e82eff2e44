/**
 * How long each kind of data is kept (个人信息保护法 Art.19: no longer than the purpose needs).
 * One definition for the daily retention job (server/services/retention), the README and the
 * privacy notice's "保存多久" section (privacy-notice.ts), so the notice cannot say one thing
 * while the server does another. The server's values come from the environment (README,
 * Configuration); the notice is rendered from what the server reports it enforces.
 *
 * Operation logs (审计日志) are kept by the audit's own setting (no sooner than 6 months,
 * 网络安全法 Art.21): not decided here.
 */
export interface Retention {
  /** Photos of a field visit are deleted this many whole years after the visit (the record itself stays). */
  visitPhotoYears: number
  /** An answered 投诉建议 is deleted this many whole years after its answer. */
  feedbackYears: number
  /** A photo upload left unfinished is removed after this many days. */
  unfinishedUploadDays: number
}

export const DEFAULT_RETENTION: Retention = { visitPhotoYears: 5, feedbackYears: 3, unfinishedUploadDays: 7 }

/** The lowest each may be set to: a year of photos for the yearly ledger, a year of answers for review. */
export const MIN_RETENTION: Retention = { visitPhotoYears: 1, feedbackYears: 1, unfinishedUploadDays: 1 }

/** The environment's settings (RETENTION_VISIT_PHOTO_YEARS, RETENTION_FEEDBACK_YEARS), checked; a bad value is an error at start. */
export function retentionFromEnv(env: Record<string, string | undefined>): Retention {
  const read = (name: string, key: keyof Retention): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return DEFAULT_RETENTION[key]
    const n = Number(raw)
    if (!Number.isInteger(n) || n < MIN_RETENTION[key] || n > 100)
      throw new Error(`${name} must be a whole number from ${MIN_RETENTION[key]} to 100`)
    return n
  }
  return {
    visitPhotoYears: read('RETENTION_VISIT_PHOTO_YEARS', 'visitPhotoYears'),
    feedbackYears: read('RETENTION_FEEDBACK_YEARS', 'feedbackYears'),
    unfinishedUploadDays: DEFAULT_RETENTION.unfinishedUploadDays,
  }
}

/** The same moment `years` whole years earlier (29 February → 28 February): data older than this goes. */
export function yearsBefore(now: Date, years: number): Date {
  const d = new Date(now.getTime())
  d.setUTCFullYear(d.getUTCFullYear() - years)
  if (d.getUTCDate() !== now.getUTCDate()) d.setUTCDate(0)
  return d
}

/** Plain-language lines of the privacy notice's "保存多久", one per kind of data. */
export function retentionLines(r: Retention): string[] {
  return [
    `走访照片：走访之日起保存 ${r.visitPhotoYears} 年，到期自动删除（走访记录本身作为工作台账保留）。`,
    `投诉建议：答复之日起保存 ${r.feedbackYears} 年，到期自动删除；未答复前您可随时撤回。`,
    `未上传完成的照片：${r.unfinishedUploadDays} 天后自动清除。`,
    '学习记录、会议与签到、补学、联系户与走访记录：作为党建工作台账保存，您离开本单位后姓名等身份信息作匿名处理。',
    '党费收缴记录（党费类别、基数和每笔收据）：按党费收缴台账的要求长期保存，不会到期自动删除。',
    '操作日志：按本单位的审计设置保存，不少于 6 个月（网络安全法要求）。',
    '手机本机的数据：退出登录时可选择清除；账号在其他设备上被退出时自动清除。',
  ]
}
