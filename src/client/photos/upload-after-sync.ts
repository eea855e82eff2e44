import { onSynced } from '../sync/synced.ts'

/**
 * Photos go up after their visit or meeting has: after each successful sync, in the background,
 * resuming where they stopped. The upload queue (and the HTTP client) load only when a photo is
 * waiting: this module is on the first screen's path.
 */
export function uploadPhotosAfterSync(): () => void {
  return onSynced(async ({ db }) => {
    if ((await db.photo_blobs.where('state').equals('pending').count()) === 0) return
    const [{ uploadPendingPhotos }, { api }] = await Promise.all([import('./upload-queue.ts'), import('../api/client.ts')])
    await uploadPendingPhotos(db, api).catch((err: unknown) => console.warn('photo upload paused', err))
  })
}
