import type { Api } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { AccountDb } from '../db/account-db.ts'

export const UPLOAD_CHUNK = 256 * 1024

/**
 * Upload the photos still waiting on this phone, each in chunks from where the server stopped:
 * a phone killed halfway (or a dropped connection) asks the server how much it has and goes on.
 * A photo is uploaded only once its visit (or meeting) has reached the server, and marked uploaded only when
 * the server says it is complete, so nothing is lost and nothing is sent twice.
 */
export async function uploadPendingPhotos(
  db: AccountDb,
  api: Pick<Api, 'photoStatus' | 'uploadPhotoChunk'>,
): Promise<{ uploaded: number; waiting: number }> {
  const pending = await db.photo_blobs.where('state').equals('pending').toArray()
  let uploaded = 0
  let waiting = 0
  for (const photo of pending) {
    const ownerQueued = (await db.outbox.where('[table+rowId]').equals([photo.ownerKind, photo.ownerId]).count()) > 0
    if (ownerQueued) {
      waiting++
      continue
    }
    let { received, complete } = await api.photoStatus(photo.id)
    while (!complete) {
      const chunk = photo.blob.slice(received, received + UPLOAD_CHUNK)
      try {
        ;({ received, complete } = await api.uploadPhotoChunk(photo.id, photo.ownerId, received, photo.size, chunk, photo.ownerKind))
      } catch (err) {
        // Out of step (an earlier chunk landed but its answer was lost): ask where to go on.
        if (err instanceof ApiError && err.code === 'upload_offset') {
          ;({ received, complete } = await api.photoStatus(photo.id))
          continue
        }
        throw err
      }
    }
    await db.photo_blobs.update(photo.id, { state: 'uploaded' })
    uploaded++
  }
  return { uploaded, waiting }
}
