// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { ApiError } from '../../api/http.ts'

vi.mock('../../api/admin-client.ts', () => ({
  adminApi: {
    orgTree: () => Promise.reject(new ApiError(401, 'reauth_required', '较长时间未进行管理操作，为安全起见，请重新登录')),
    people: () => Promise.resolve({ people: [] }),
  },
}))
const { useAdminStore } = await import('./admin.store.ts')
const { useSessionStore } = await import('../../session/session.store.ts')

describe('the managers’ idle timeout on the phone', () => {
  it('opens 登录 again (keeping the phone’s data: ?reauth) and comes back to the page afterwards', async () => {
    setActivePinia(createPinia())
    useSessionStore().user = {
      id: 'u',
      orgId: 'o',
      orgName: '机关党委',
      branchId: null,
      branchName: null,
      name: '管理员',
      phone: '13800000005',
      role: 'admin',
    }
    history.replaceState(null, '', '/admin/people')
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => undefined)
    const admin = useAdminStore()
    await admin.load()
    expect(assign).toHaveBeenCalledWith('/login?reauth=1&phone=13800000005&next=%2Fadmin%2Fpeople')
    expect(admin.error).toBe('较长时间未进行管理操作，为安全起见，请重新登录')
  })
})
