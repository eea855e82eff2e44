import { api } from '../api/client.ts'
import { onSynced } from '../sync/synced.ts'

/**
 * Photos go up after their visit or meeting has: after each successful sync, in the background,
 * resuming where they stopped. The upload queue loads only when a photo is waiting.
 */
export function uploadPhotosAfterSync(): () => void {
  return onSynced(async ({ db }) => {
    if ((await db.photo_blobs.where('state').equals('pending').count()) === 0) return
    const { uploadPendingPhotos } = await import('./upload-queue.ts')
    await uploadPendingPhotos(db, api).catch((err: unknown) => console.warn('photo upload paused', err))
  })
}
