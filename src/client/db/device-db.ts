import type { SessionUser } from '../../core/schemas/auth.ts'

interface DeviceEntry {
  key: 'current'
  user: SessionUser
}

/**
 * The device-level database: only who is signed in on this phone, so the app opens offline
 * straight into that person's own database. Holds no records.
 *
 * Plain IndexedDB, not Dexie: the login page and the app's start read it before anything else,
 * and Dexie (with each account's database) is loaded only once someone is signed in. The layout
 * is the one Dexie created (`version(1).stores({ session: 'key' })`, IndexedDB version 10), so
 * phones that signed in with an earlier version open straight into their account.
 */
const NAME = 'suixing-device'
const VERSION = 10
const STORE = 'session'

let device: Promise<IDBDatabase> | null = null

function openDevice(): Promise<IDBDatabase> {
  device ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION)
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'key' })
    }
    req.onsuccess = () => {
      const db = req.result
      // Another tab deleting or upgrading the database: let it, and open again next time.
      db.onversionchange = () => {
        db.close()
        device = null
      }
      resolve(db)
    }
    req.onerror = () => reject(req.error ?? new Error('无法打开本机数据库'))
    req.onblocked = () => reject(new Error('本机数据库被另一个页面占用'))
  }).catch((err: unknown) => {
    device = null
    throw err
  })
  return device
}

async function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDevice()
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode)
    const req = op(tx.objectStore(STORE))
    // Resolved once the transaction has committed, as Dexie did: a saved session is on disk.
    tx.oncomplete = () => resolve(req.result)
    tx.onerror = () => reject(tx.error ?? req.error ?? new Error('本机数据库写入失败'))
    tx.onabort = () => reject(tx.error ?? new Error('本机数据库写入被中止'))
  })
}

export async function loadCurrentUser(): Promise<SessionUser | null> {
  const entry =
    (await run<DeviceEntry | undefined>('readonly', (s) => s.get('current') as IDBRequest<DeviceEntry | undefined>)) ?? undefined
  return entry?.user ?? null
}

export async function saveCurrentUser(user: SessionUser): Promise<void> {
  const entry: DeviceEntry = { key: 'current', user }
  await run('readwrite', (s) => s.put(entry))
}

export async function clearCurrentUser(): Promise<void> {
  await run('readwrite', (s) => s.delete('current'))
}
