export const ROLES = ['member', 'secretary', 'admin'] as const
export type Role = (typeof ROLES)[number]
export const ROLE_LABELS: Record<Role, string> = {
  member: '党员',
  secretary: '党支部书记',
  admin: '机关党委管理员',
}
