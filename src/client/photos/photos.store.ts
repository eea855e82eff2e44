import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { PhotoBlob } from '../db/account-db.ts'
import { useLiveQuery } from '../db/live.ts'
import { useSessionStore } from '../session/session.store.ts'
import { dropUploadedPhotos, photoUrl } from './photos.repo.ts'

/** The photos kept on this phone (visits' and meetings'): what waits to upload, freeing space, showing one. */
export const usePhotosStore = defineStore('photos', () => {
  const session = useSessionStore()
  const photos = useLiveQuery<Pick<PhotoBlob, 'id' | 'ownerId' | 'state' | 'size'>[]>(
    async () => ((await session.db?.photo_blobs.toArray()) ?? []).map(({ id, ownerId, state, size }) => ({ id, ownerId, state, size })),
    [],
    [() => session.db],
  )
  const pendingUploads = computed(() => photos.value.filter((p) => p.state === 'pending'))
  const uploaded = computed(() => photos.value.filter((p) => p.state === 'uploaded'))

  async function dropUploaded(): Promise<number> {
    if (!session.db) throw new Error('未登录')
    return dropUploadedPhotos(session.db)
  }

  return {
    photos,
    pendingUploads,
    uploaded,
    url: (id: string) => photoUrl(session.db, id),
    dropUploaded,
    compress: async (file: File) => (await import('./compress.ts')).compressPhoto(file),
  }
})
