import { afterEach, describe, expect, it } from 'vitest'
import { AccountDb } from '../db/account-db.ts'
import { newId } from '../../core/ids.ts'
import { ApiError } from '../api/http.ts'
import { uploadPendingPhotos, UPLOAD_CHUNK } from './upload-queue.ts'

/** An in-memory photo server with the real one's rules (offset must match what it holds). */
function fakeServer() {
  const held = new Map<string, Uint8Array[]>()
  const size = (id: string) => (held.get(id) ?? []).reduce((a, c) => a + c.length, 0)
  let writes = 0
  return {
    held,
    writes: () => writes,
    bytes: (id: string) => Buffer.concat(held.get(id) ?? []),
    api: {
      photoStatus: async (id: string) => ({ received: size(id), complete: held.has(`${id}:done`) }),
      uploadPhotoChunk: async (id: string, _visit: string, offset: number, total: number, chunk: Blob) => {
        if (offset !== size(id)) throw new ApiError(409, 'upload_offset', `上传位置不符（服务器已收到 ${size(id)} 字节）`)
        held.set(id, [...(held.get(id) ?? []), new Uint8Array(await chunk.arrayBuffer())])
        writes++
        const received = size(id)
        if (received === total) held.set(`${id}:done`, [])
        return { received, complete: received === total }
      },
    },
  }
}

let db: AccountDb
afterEach(() => db.delete())

describe('photo upload queue', () => {
  it('resumes after a kill at any point and stores every photo exactly once', async () => {
    const sizes = [UPLOAD_CHUNK * 2 + 17, 1000, UPLOAD_CHUNK]
    // Kill the phone at every step: before a chunk is sent, and after it landed but before the answer came back.
    for (let killAt = 0; killAt < 12; killAt++) {
      for (const loseAnswer of [false, true]) {
        db = new AccountDb(`upload-${newId()}`)
        const server = fakeServer()
        const photos = sizes.map((n, i) => ({
          id: newId(),
          ownerId: newId(),
          ownerKind: 'visits' as const,
          blob: new Blob([new Uint8Array(n).fill(i + 1)]),
          mime: 'image/jpeg',
          width: 1,
          height: 1,
          size: n,
          state: 'pending' as const,
          createdAt: '',
        }))
        await db.photo_blobs.bulkAdd(photos)
        let step = 0
        const dying = {
          photoStatus: server.api.photoStatus,
          uploadPhotoChunk: async (...args: Parameters<typeof server.api.uploadPhotoChunk>) => {
            if (step++ === killAt) {
              if (loseAnswer) await server.api.uploadPhotoChunk(...args)
              throw new Error('killed')
            }
            return server.api.uploadPhotoChunk(...args)
          },
        }
        await uploadPendingPhotos(db, dying).catch(() => undefined)
        // Restart: no more faults.
        await uploadPendingPhotos(db, server.api)
        for (const p of photos) {
          expect(server.bytes(p.id).length, `kill at ${killAt}, lose answer ${loseAnswer}`).toBe(p.size)
          expect(server.bytes(p.id).every((b) => b === photos.indexOf(p) + 1)).toBe(true)
        }
        expect((await db.photo_blobs.toArray()).every((p) => p.state === 'uploaded')).toBe(true)
        await db.delete()
      }
    }
    db = new AccountDb(`upload-${newId()}`)
  })

  it('waits for the visit itself to reach the server first', async () => {
    db = new AccountDb(`upload-${newId()}`)
    const server = fakeServer()
    const visitId = newId()
    await db.photo_blobs.add({
      id: newId(),
      ownerId: visitId,
      ownerKind: 'visits',
      blob: new Blob([new Uint8Array(10)]),
      mime: 'image/jpeg',
      width: 1,
      height: 1,
      size: 10,
      state: 'pending',
      createdAt: '',
    })
    await db.outbox.add({ id: newId(), table: 'visits', op: 'upsert', rowId: visitId, fields: {}, base: {}, clientTime: '', v: 1 })
    expect(await uploadPendingPhotos(db, server.api)).toEqual({ uploaded: 0, waiting: 1 })
    expect(server.writes()).toBe(0)
  })
})
