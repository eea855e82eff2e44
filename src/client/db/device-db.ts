import Dexie, { type Table } from 'dexie'
import type { SessionUser } from '../../core/schemas/auth.ts'

interface DeviceEntry {
  key: 'current'
  user: SessionUser
}

/**
 * The device-level database: only who is signed in on this phone, so the app opens offline
 * straight into that person's own database. Holds no records.
 */
class DeviceDb extends Dexie {
  session!: Table<DeviceEntry, string>
  constructor() {
    super('suixing-device')
    this.version(1).stores({ session: 'key' })
  }
}

let device: DeviceDb | null = null
const getDevice = (): DeviceDb => (device ??= new DeviceDb())

export async function loadCurrentUser(): Promise<SessionUser | null> {
  return (await getDevice().session.get('current'))?.user ?? null
}

export async function saveCurrentUser(user: SessionUser): Promise<void> {
  await getDevice().session.put({ key: 'current', user })
}

export async function clearCurrentUser(): Promise<void> {
  await getDevice().session.delete('current')
}
