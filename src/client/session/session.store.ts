import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { SessionUser, SetupRequest } from '../../core/schemas/auth.ts'
import { api } from '../api/client.ts'
import { ApiError, NetworkError } from '../api/http.ts'
import type { AccountDb } from '../db/account-db.ts'
import { clearCurrentUser, loadCurrentUser, saveCurrentUser } from '../db/device-db.ts'
import { emitSignOut } from './sign-out.ts'
import { isAdmin, isManager, managesBranch } from '../../core/domain/authority.ts'

/**
 * Who is signed in on this phone. Kept in IndexedDB so the app opens offline, straight into
 * that person's own database; each account's data lives in a database of its own.
 */
export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null)
  const db = shallowRef<AccountDb | null>(null)
  const restored = ref(false)

  // The account database (and Dexie with it) loads only once someone is signed in: the login
  // page draws without it. From the service worker's precache when offline.
  async function open(u: SessionUser): Promise<void> {
    const { AccountDb, accountDbName } = await import('../db/account-db.ts')
    if (db.value?.name !== accountDbName(u.id)) {
      db.value?.close()
      db.value = new AccountDb(accountDbName(u.id))
    }
    user.value = u
  }

  /** Set after this phone was signed out from elsewhere; the login page says so. */
  const signedOutRemotely = ref(false)

  async function restore(): Promise<void> {
    const saved = await loadCurrentUser()
    if (saved) await open(saved)
    restored.value = true
    if (typeof navigator !== 'undefined') void navigator.storage?.persist?.().catch(() => false)
  }

  async function adopt(u: SessionUser): Promise<void> {
    await saveCurrentUser(u)
    await open(u)
  }

  /** Signed in; or, with two-factor login, the ticket of the second step (features/auth/LoginVerifyPage.vue). */
  async function login(phone: string, password: string): Promise<string | null> {
    const res = await api.login({ phone, password })
    if ('twoFactor' in res) return res.twoFactor.ticket
    signedOutRemotely.value = false
    await adopt(res.user)
    return null
  }

  /**
   * The server says this session was signed out from another device (lost phone, or the
   * administrator): delete this account's local database, outbox included. Other accounts'
   * databases on the phone are not touched.
   */
  async function wipeSignedOut(): Promise<void> {
    const current = db.value
    db.value = null
    user.value = null
    signedOutRemotely.value = true
    await emitSignOut({ tellServer: false })
    await clearCurrentUser()
    if (current) await current.delete()
  }

  /** First sign-in (or a reset) with the one-time code from the branch secretary. */
  async function activate(input: { phone: string; code: string; password: string }): Promise<void> {
    const res = await api.activate(input)
    signedOutRemotely.value = false
    await adopt(res.user)
  }

  /** Refresh name, branch and role from the server when online; offline keeps the saved profile. */
  async function refresh(): Promise<void> {
    if (!user.value) return
    try {
      const res = await api.me()
      if (user.value && res.user.id === user.value.id) await adopt(res.user)
    } catch (err) {
      if (err instanceof ApiError && err.code === 'signed_out') await wipeSignedOut()
      // offline or signed out: the sync status shows which
    }
  }

  /** Signs out. Unsynced changes stay in this account's database unless `wipe` is chosen. */
  async function logout(wipe: boolean): Promise<void> {
    // What features keep for this person (notifications) must not reach whoever uses the phone next.
    await emitSignOut({ tellServer: true })
    try {
      await api.logout()
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err
    }
    await clearCurrentUser()
    const current = db.value
    db.value = null
    user.value = null
    if (current) {
      if (wipe) await current.delete()
      else current.close()
    }
  }

  /** First run: is there an organisation yet? (false when offline: nothing to offer then) */
  async function needsSetup(): Promise<boolean> {
    try {
      return (await api.setupStatus()).needsSetup
    } catch {
      return false
    }
  }

  async function setup(input: SetupRequest): Promise<void> {
    await adopt((await api.setup(input)).user)
  }

  const seedDemo = () => api.seedDemo()

  const signedIn = computed(() => user.value !== null)
  /** A secretary or an administrator (core/domain/authority.ts: the server checks the same). */
  const manager = computed(() => user.value !== null && isManager(user.value.role))
  const admin = computed(() => user.value !== null && isAdmin(user.value.role))
  /** May the signed-in person manage that branch (null: the organ's leadership)? */
  const manages = (branchId: string | null) => user.value !== null && managesBranch(user.value, branchId)
  return {
    user,
    db,
    restored,
    signedIn,
    isManager: manager,
    isAdmin: admin,
    manages,
    signedOutRemotely,
    wipeSignedOut,
    restore,
    login,
    activate,
    adopt,
    refresh,
    logout,
    needsSetup,
    setup,
    seedDemo,
  }
})
