import { describe, expect, it } from 'vitest'
import Dexie from 'dexie'
import type { SessionUser } from '../../core/schemas/auth.ts'
import { clearCurrentUser, loadCurrentUser, saveCurrentUser } from './device-db.ts'

const user = (name: string): SessionUser => ({
  id: `u-${name}`,
  orgId: 'o1',
  orgName: '机关党委',
  branchId: 'b1',
  branchName: '第一党支部',
  name,
  phone: '13800000001',
  role: 'member',
})

describe('who is signed in on this phone (plain IndexedDB, no Dexie on the login page)', () => {
  it('a phone that signed in with the earlier (Dexie) version still opens into its account, and sign-in/out work after', async () => {
    // The database as the earlier version created it.
    const old = new Dexie('suixing-device')
    old.version(1).stores({ session: 'key' })
    await old.table('session').put({ key: 'current', user: user('刘芳') })
    old.close()

    expect(await loadCurrentUser()).toEqual(user('刘芳'))
    await saveCurrentUser(user('王建国'))
    expect(await loadCurrentUser()).toEqual(user('王建国'))
    await clearCurrentUser()
    expect(await loadCurrentUser()).toBeNull()

    // And the earlier version reads what this one wrote (an app rolled back keeps its session).
    await saveCurrentUser(user('张三'))
    const again = new Dexie('suixing-device')
    again.version(1).stores({ session: 'key' })
    expect((await again.table('session').get('current'))?.user).toEqual(user('张三'))
    again.close()
  })
})
