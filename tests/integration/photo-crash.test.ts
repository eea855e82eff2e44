import { appendFileSync, existsSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { recordVisit, saveHousehold } from '../../src/client/features/visits/visits.repo.ts'
import { UPLOAD_CHUNK, uploadPendingPhotos } from '../../src/client/photos/upload-queue.ts'
import { ABANDONED_UPLOAD_MS } from '../../src/server/routes/photos.ts'

/**
 * The server stops in the middle of a chunked photo upload (a crash, a power cut): the part
 * file may then hold a chunk the database never recorded, a torn piece of one, or fewer bytes
 * than recorded. The upload must resume from what the server durably holds, and the photo must
 * arrive byte for byte and be accepted (docs/sync.md, "Field visits").
 */

let server: TestServer
let org: Org
let member: Device
let household = ''

/** A JPEG-looking photo whose every byte depends on its position and seed (so a misplaced byte shows). */
function photoBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size)
  b.set([0xff, 0xd8, 0xff, 0xe0])
  for (let i = 4; i < size; i++) b[i] = (i * 31 + seed * 7 + (i >> 8)) % 256
  return b
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  const secretary = await device(server, org.secretaryA.phone)
  member = await device(server, org.memberA.phone)
  household = await saveHousehold(secretary.db, secretary.user, null, {
    branchId: org.branchA,
    name: '王大娘',
    address: '西村3号',
    village: '西村',
    contact: '',
    situation: '',
    needs: '',
    memberIds: [org.memberA.id],
  })
  await new SyncEngine(secretary.db, secretary.api).sync()
  await new SyncEngine(member.db, member.api).sync()
})
afterAll(() => server.close())

const partFile = (id: string) => join(server.dataDir, 'photos', `${id}.part`)
const finalFile = (id: string) => join(server.dataDir, 'photos', id)

/** A visit with one photo, synced, with the first `chunks` chunks uploaded before the "crash". */
async function halfUploaded(size: number, seed: number, chunks: number): Promise<{ id: string; bytes: Uint8Array<ArrayBuffer> }> {
  const bytes = photoBytes(size, seed)
  const visitId = await recordVisit(member.db, member.user, {
    householdId: household,
    place: '',
    visitedAt: new Date().toISOString(),
    memberIds: [org.memberA.id],
    findings: '走访',
    problems: '',
    location: null,
    photos: [{ blob: new Blob([bytes], { type: 'image/jpeg' }), width: 10, height: 10 }],
    followups: [],
  })
  expect(await new SyncEngine(member.db, member.api).sync()).toEqual({ ok: true })
  const photo = await member.db.photo_blobs.where('ownerId').equals(visitId).first()
  if (!photo) throw new Error('no photo')
  // Other photos still waiting on this phone are left out of this run.
  const others = (await member.db.photo_blobs.where('state').equals('pending').primaryKeys()).filter((k) => k !== photo.id)
  await member.db.photo_blobs.where('id').anyOf(others).modify({ state: 'uploaded' })
  let calls = 0
  const dying = {
    ...member.api,
    uploadPhotoChunk: async (...args: Parameters<typeof member.api.uploadPhotoChunk>) => {
      if (++calls > chunks) throw new Error('killed')
      return member.api.uploadPhotoChunk(...args)
    },
  }
  await expect(uploadPendingPhotos(member.db, dying)).rejects.toThrow('killed')
  await member.db.photo_blobs.where('id').anyOf(others).modify({ state: 'pending' })
  expect(await member.api.photoStatus(photo.id)).toEqual({ received: chunks * UPLOAD_CHUNK, complete: false })
  return { id: photo.id, bytes }
}

/** The phone comes back: the rest is uploaded and the photo is served byte for byte. */
async function resumesAndArrivesWhole(id: string, bytes: Uint8Array): Promise<void> {
  expect(await uploadPendingPhotos(member.db, member.api)).toEqual({ uploaded: 1, waiting: 0 })
  expect((await member.db.photo_blobs.get(id))?.state).toBe('uploaded')
  expect(await member.api.photoStatus(id)).toEqual({ received: bytes.length, complete: true })
  const jar = await signIn(server, org.secretaryA.phone)
  const res = await jar(`${server.url}/api/photos/${id}`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('image/jpeg')
  expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
  expect(existsSync(partFile(id))).toBe(false)
}

describe('a crash in the middle of a photo upload', () => {
  it('a chunk written but never recorded (the server stopped in between) is not counted twice', async () => {
    const { id, bytes } = await halfUploaded(700_000, 1, 1)
    // The second chunk reached the file; the server died before the database recorded it.
    appendFileSync(partFile(id), bytes.subarray(UPLOAD_CHUNK, 2 * UPLOAD_CHUNK))
    expect(await member.api.photoStatus(id)).toEqual({ received: UPLOAD_CHUNK, complete: false })
    await resumesAndArrivesWhole(id, bytes)
  })

  it('a torn write (part of a chunk and garbage beyond the recorded offset) is cut off', async () => {
    const { id, bytes } = await halfUploaded(600_000, 2, 2)
    appendFileSync(
      partFile(id),
      Buffer.concat([Buffer.from(bytes.subarray(2 * UPLOAD_CHUNK, 2 * UPLOAD_CHUNK + 1000)), Buffer.alloc(3000, 0x5a)]),
    )
    await resumesAndArrivesWhole(id, bytes)
  })

  it('a part file shorter than recorded (bytes lost) resumes from what is on disk', async () => {
    const { id, bytes } = await halfUploaded(800_000, 3, 2)
    truncateSync(partFile(id), UPLOAD_CHUNK + 12_345)
    expect(await member.api.photoStatus(id)).toEqual({ received: UPLOAD_CHUNK + 12_345, complete: false })
    await resumesAndArrivesWhole(id, bytes)
  })

  it('a part file gone altogether starts the photo again', async () => {
    const { id, bytes } = await halfUploaded(300_000, 4, 1)
    rmSync(partFile(id))
    expect(await member.api.photoStatus(id)).toEqual({ received: 0, complete: false })
    await resumesAndArrivesWhole(id, bytes)
  })

  it('a crash after the finished file was moved into place and before it was recorded is finished on the next request', async () => {
    const { id, bytes } = await halfUploaded(600_000, 5, 2)
    // Done by hand: the last chunk written, the file renamed, the record never updated.
    appendFileSync(partFile(id), bytes.subarray(2 * UPLOAD_CHUNK))
    writeFileSync(finalFile(id), readFileSync(partFile(id)))
    rmSync(partFile(id))
    expect(await member.api.photoStatus(id)).toEqual({ received: bytes.length, complete: true })
    await resumesAndArrivesWhole(id, bytes)
  })

  it('abandoned part files are removed when the server starts, and a phone that comes back starts again', async () => {
    const { id, bytes } = await halfUploaded(400_000, 6, 1)
    const fresh = await halfUploaded(400_000, 7, 1)
    const old = (Date.now() - ABANDONED_UPLOAD_MS - 3600_000) / 1000
    utimesSync(partFile(id), old, old)
    await server.restart()
    expect(existsSync(partFile(id))).toBe(false)
    expect(await server.handle.db.selectFrom('photos').select('id').where('id', '=', id).execute()).toEqual([])
    expect(statSync(partFile(fresh.id)).size).toBe(UPLOAD_CHUNK)
    expect(await member.api.photoStatus(id)).toEqual({ received: 0, complete: false })
    expect(await uploadPendingPhotos(member.db, member.api)).toEqual({ uploaded: 2, waiting: 0 })
    const jar = await signIn(server, org.secretaryA.phone)
    for (const [pid, b] of [
      [id, bytes],
      [fresh.id, fresh.bytes],
    ] as const) {
      const res = await jar(`${server.url}/api/photos/${pid}`)
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(b))).toBe(true)
    }
  })
})
