import type { MyStatus } from './meetings.store.ts'
import { formatChinaDateTime } from '../../../core/domain/china-time.ts'

export const MY_STATUS_TEXT: Record<MyStatus, string> = {
  present: '已签到',
  leave: '已请假',
  'leave-requested': '请假待审批',
  'leave-declined': '请假未批准',
  absent: '缺席',
  upcoming: '待参加',
  missing: '未签到',
}

/** "11月28日 星期六 14:30" style, in China time. */
export const when = (iso: string): string => formatChinaDateTime(new Date(iso)).replace(/^\d{4}年/, '')
