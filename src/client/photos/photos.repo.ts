import type { AccountDb, PhotoBlob, PhotoOwnerKind } from '../db/account-db.ts'
import type { CompressedPhoto } from './compress.ts'

/** The rows that keep a visit's or a meeting's new photos on the phone until they are uploaded. */
export function pendingPhotoRows(
  owner: { kind: PhotoOwnerKind; id: string },
  photos: CompressedPhoto[],
  ids: readonly string[],
  createdAt: string,
): PhotoBlob[] {
  return photos.map((p, i) => ({
    id: ids[i] ?? '',
    ownerId: owner.id,
    ownerKind: owner.kind,
    blob: p.blob,
    mime: p.blob.type || 'image/jpeg',
    width: p.width,
    height: p.height,
    size: p.blob.size,
    state: 'pending' as const,
    createdAt,
  }))
}

/** The photo as an image address: from the phone while it is here, else from the server. */
export async function photoUrl(db: AccountDb | null, id: string): Promise<string> {
  const local = await db?.photo_blobs.get(id)
  return local ? URL.createObjectURL(local.blob) : `/api/photos/${id}`
}

/** Free the phone's space: photos already on the server are fetched again when opened. */
export async function dropUploadedPhotos(db: AccountDb): Promise<number> {
  return db.photo_blobs.where('state').equals('uploaded').delete()
}
