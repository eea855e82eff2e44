export const ROLES = ['member', 'secretary', 'admin'] as const
export type Role = (typeof ROLES)[number]
export const ROLE_LABELS: Record<Role, string> = {
  member: '党员',
  secretary: '党支部书记',
  admin: '机关党委管理员',
}

/** 正式党员 or 预备党员. */
export const MEMBER_STATUSES = ['full', 'probationary'] as const
export type MemberStatus = (typeof MEMBER_STATUSES)[number]
export const STATUS_LABELS: Record<MemberStatus, string> = { full: '正式党员', probationary: '预备党员' }
