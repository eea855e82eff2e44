import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { device, seedOrg, signIn, startServer, type Device, type Org, type TestServer } from './harness.ts'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { recordVisit, saveHousehold } from '../../src/client/features/visits/visits.repo.ts'
import { uploadPendingPhotos } from '../../src/client/photos/upload-queue.ts'
import type { FetchFn } from '../../src/client/api/http.ts'

let server: TestServer
let org: Org
let secretary: Device
let member: Device
let household = ''
let visitId = ''
const sync = (d: Device) => new SyncEngine(d.db, d.api).sync()

/** A small real JPEG (SOI marker first) of the given size. */
const jpeg = (size: number) => {
  const b = new Uint8Array(size)
  b.set([0xff, 0xd8, 0xff, 0xe0])
  for (let i = 4; i < size; i++) b[i] = i % 251
  return new Blob([b], { type: 'image/jpeg' })
}

beforeAll(async () => {
  server = await startServer()
  org = await seedOrg(server.handle)
  secretary = await device(server, org.secretaryA.phone)
  member = await device(server, org.memberA.phone)
  household = await saveHousehold(secretary.db, secretary.user, null, {
    branchId: org.branchA,
    name: '李大爷',
    address: '东村12号',
    village: '东村',
    contact: '13900000000',
    situation: '独居老人',
    needs: '看病难',
    memberIds: [org.memberA.id],
  })
  expect(await sync(secretary)).toEqual({ ok: true })
  expect(await sync(member)).toEqual({ ok: true })
  visitId = await recordVisit(member.db, member.user, {
    householdId: household,
    place: '',
    visitedAt: new Date().toISOString(),
    memberIds: [org.memberA.id],
    findings: '身体尚可，药快吃完了',
    problems: '希望帮忙代购药品',
    location: null,
    photos: [
      { blob: jpeg(700_000), width: 1600, height: 1200 },
      { blob: jpeg(40_000), width: 1200, height: 1600 },
    ],
    followups: [{ text: '下周代购降压药', ownerId: org.memberA.id, dueOn: '2026-11-01' }],
  })
})
afterAll(() => server.close())

const put = (f: FetchFn, id: string, visit: string, offset: number, total: number, bytes: Uint8Array<ArrayBuffer>) =>
  f(`${server.url}/api/photos/${id}?visit=${visit}&offset=${offset}&total=${total}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Blob([bytes]),
  })

describe('field visits', () => {
  it('a visit recorded offline syncs with its follow-up; the secretary sees it and the overdue flag data', async () => {
    expect(await sync(member)).toEqual({ ok: true })
    await sync(secretary)
    const seen = await secretary.db.visits.get(visitId)
    expect(seen).toMatchObject({ householdId: household, findings: '身体尚可，药快吃完了' })
    const [f] = await secretary.db.followups.toArray()
    expect(f).toMatchObject({ text: '下周代购降压药', dueOn: '2026-11-01', closedAt: null, householdId: household })
  })

  it('a member of another branch cannot read the household, the visit or its photos', async () => {
    const other = await device(server, org.memberB.phone)
    await sync(other)
    expect(await other.db.households.count()).toBe(0)
    expect(await other.db.visits.count()).toBe(0)
    await uploadPendingPhotos(member.db, member.api)
    const photoId = (await member.db.visits.get(visitId))?.photoIds[0] ?? ''
    const jar = await signIn(server, org.memberB.phone)
    expect((await jar(`${server.url}/api/photos/${photoId}`)).status).toBe(404)
    // A branch peer not linked to the household does not see it either.
    const peer = await device(server, org.memberA2.phone)
    await sync(peer)
    expect(await peer.db.households.count()).toBe(0)
    // The secretary does, and gets the photo.
    const sec = await signIn(server, org.secretaryA.phone)
    const res = await sec(`${server.url}/api/photos/${photoId}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect((await res.arrayBuffer()).byteLength).toBe(700_000)
  })
})

describe('photo upload', () => {
  it('uploads every waiting photo once and marks it uploaded', async () => {
    const rows = await member.db.photo_blobs.toArray()
    expect(rows.map((r) => r.state)).toEqual(['uploaded', 'uploaded'])
    expect(await uploadPendingPhotos(member.db, member.api)).toEqual({ uploaded: 0, waiting: 0 })
    const stored = await server.handle.db.selectFrom('photos').select(['complete', 'total']).execute()
    expect(stored.map((s) => [s.complete, Number(s.total)]).sort()).toEqual([
      [1, 40_000],
      [1, 700_000],
    ])
  })

  it('an upload interrupted halfway resumes where the server stopped', async () => {
    const d = await device(server, org.memberA.phone)
    await sync(d)
    const id = await recordVisit(d.db, d.user, {
      householdId: household,
      place: '',
      visitedAt: new Date().toISOString(),
      memberIds: [org.memberA.id],
      findings: '回访',
      problems: '',
      location: null,
      photos: [{ blob: jpeg(600_000), width: 10, height: 10 }],
      followups: [],
    })
    await sync(d)
    const photo = (await d.db.photo_blobs.where('ownerId').equals(id).first())!
    // The phone is killed after its first chunk reached the server.
    let calls = 0
    const dying = {
      ...d.api,
      uploadPhotoChunk: async (...args: Parameters<typeof d.api.uploadPhotoChunk>) => {
        if (++calls > 1) throw new Error('killed')
        return d.api.uploadPhotoChunk(...args)
      },
    }
    await expect(uploadPendingPhotos(d.db, dying)).rejects.toThrow('killed')
    expect((await d.db.photo_blobs.get(photo.id))?.state).toBe('pending')
    const half = await d.api.photoStatus(photo.id)
    expect(half).toEqual({ received: 256 * 1024, complete: false })
    // Next start: asks the server, sends only the rest.
    const sent: number[] = []
    const watching = {
      ...d.api,
      uploadPhotoChunk: async (...args: Parameters<typeof d.api.uploadPhotoChunk>) => {
        sent.push(args[2])
        return d.api.uploadPhotoChunk(...args)
      },
    }
    expect(await uploadPendingPhotos(d.db, watching)).toEqual({ uploaded: 1, waiting: 0 })
    expect(sent).toEqual([256 * 1024, 512 * 1024])
    const jar = await signIn(server, org.secretaryA.phone)
    expect((await (await jar(`${server.url}/api/photos/${photo.id}`)).arrayBuffer()).byteLength).toBe(600_000)
  })

  it('refuses an oversize or non-image upload with a message, and an upload for a photo the visit does not list', async () => {
    const d = await device(server, org.memberA.phone)
    await sync(d)
    const id = await recordVisit(d.db, d.user, {
      householdId: household,
      place: '',
      visitedAt: new Date().toISOString(),
      memberIds: [org.memberA.id],
      findings: '',
      problems: '',
      location: null,
      photos: [
        { blob: jpeg(100), width: 1, height: 1 },
        { blob: jpeg(100), width: 1, height: 1 },
      ],
      followups: [],
    })
    await sync(d)
    const [a, b] = (await d.db.visits.get(id))?.photoIds ?? []
    const jar = await signIn(server, org.memberA.phone)
    const big = await put(jar, a ?? '', id, 0, 6 * 1024 * 1024, new Uint8Array(10))
    expect(big.status).toBe(413)
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain('照片过大')
    const text = new Uint8Array(new TextEncoder().encode('<html>not a photo</html>'))
    const fake = await put(jar, b ?? '', id, 0, text.length, text)
    expect(fake.status).toBe(422)
    expect(((await fake.json()) as { error: { message: string } }).error.message).toBe('只能上传图片（JPEG、WebP 或 PNG）')
    const stray = await put(jar, '01a22031-4d76-7677-ae1b-b63b19145d18', id, 0, 10, new Uint8Array(10))
    expect(stray.status).toBe(409)
    const other = await signIn(server, org.memberB.phone)
    expect((await put(other, a ?? '', id, 0, 100, new Uint8Array(100))).status).toBe(404)
  })

  it('the visits ledger opens in a real xlsx reader with household cards, visits and follow-ups', async () => {
    const jar = await signIn(server, org.secretaryA.phone)
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear()
    const res = await jar(`${server.url}/api/visits-ledger/${org.branchA}/${year}.xlsx`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await res.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['联系户', '走访记录', '承诺事项'])
    // Like the meeting and study ledgers: a title row (branch, year, 走访台账) above the header, landscape.
    for (const [name, sheet] of wb.worksheets.map((w) => [w.name, w] as const)) {
      expect(sheet.getCell('A1').value).toBe(`第一党支部${year}年走访台账（${name}）`)
      expect(sheet.pageSetup.orientation).toBe('landscape')
    }
    expect(wb.getWorksheet('联系户')?.getRow(2).getCell(1).value).toBe('户主')
    expect(wb.getWorksheet('联系户')?.getRow(3).getCell(1).value).toBe('李大爷')
    expect(wb.getWorksheet('联系户')?.getRow(3).getCell(8).value).toBe('未记录')
    expect(wb.getWorksheet('联系户')?.getRow(3).getCell(9).value).toBe(3)
    expect(wb.getWorksheet('联系户')?.getRow(3).getCell(10).value).toBeInstanceOf(Date)
    expect(wb.getWorksheet('走访记录')?.getRow(3).getCell(1).value).toBeInstanceOf(Date)
    expect(wb.getWorksheet('承诺事项')?.getRow(3).getCell(5).value).toBe('已逾期')
    expect((await (await signIn(server, org.memberA.phone))(`${server.url}/api/visits-ledger/${org.branchA}/${year}.xlsx`)).status).toBe(
      403,
    )
  })
})

describe('a companion on a visit', () => {
  it('reads whom they visited (the household’s name), though the household’s record is not theirs to see', async () => {
    const companion = await device(server, org.memberA2.phone)
    const id = await recordVisit(member.db, member.user, {
      householdId: household,
      place: '',
      visitedAt: new Date().toISOString(),
      memberIds: [org.memberA.id, org.memberA2.id],
      findings: '一同走访',
      problems: '',
      location: null,
      photos: [],
      followups: [],
    })
    expect(await sync(member)).toEqual({ ok: true })
    expect(await sync(companion)).toEqual({ ok: true })
    expect(await companion.db.households.get(household)).toBeUndefined()
    expect((await companion.db.visits.get(id))?.place).toBe('李大爷')
  })
})
