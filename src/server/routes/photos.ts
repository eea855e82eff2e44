import { constants, createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { HttpError } from '../lib/http-error.ts'
import * as contracts from '../../core/contracts/photos.ts'
import { idList } from '../db/json.ts'
import {
  correctReceived,
  markComplete,
  meetingPhotosWithin,
  photoRow,
  removePhoto,
  removeUnfinished,
  setReceived,
  startUpload,
  trainingPhotosWithin,
  visitWithin,
} from '../repositories/photos.ts'
import { route } from './route.ts'
import { meetingScope } from '../sync/tables/meetings.ts'
import { visitScope } from '../sync/tables/visits.ts'
import { outsideTrainingScope } from '../sync/tables/outside-trainings.ts'
import { managesBranch } from '../../core/domain/authority.ts'
import type { Viewer } from '../lib/viewer.ts'
import { DEFAULT_RETENTION } from '../../core/domain/retention.ts'

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
export const CHUNK_BYTES = 512 * 1024
/** An unfinished upload untouched this long is abandoned: its part file and record are removed. */
export const ABANDONED_UPLOAD_MS = DEFAULT_RETENTION.unfinishedUploadDays * 24 * 3600 * 1000
const CLEANUP_EVERY_MS = 6 * 3600 * 1000

/** The image types we keep, told by their first bytes (never by what the client says). */
function imageType(head: Buffer): string | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (head.length >= 12 && head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp'
  return null
}

/** The size of a file, or null if there is none. */
async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null
    throw err
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(12)
    const { bytesRead } = await handle.read(head, 0, 12, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/**
 * Write a chunk at its offset in the part file and make it durable (fsync) before the caller
 * records the new offset. Bytes beyond the offset are a chunk whose offset was never recorded
 * (the server stopped between the write and the record): they are cut off first.
 */
async function writeChunk(path: string, offset: number, chunk: Buffer): Promise<void> {
  const handle = await open(path, constants.O_RDWR | constants.O_CREAT)
  try {
    const { size } = await handle.stat()
    if (size < offset) throw new HttpError(409, 'upload_offset', `上传位置不符（服务器已收到 ${size} 字节）`)
    if (size > offset) await handle.truncate(offset)
    for (let written = 0; written < chunk.length;) {
      const { bytesWritten } = await handle.write(chunk, written, chunk.length - written, offset + written)
      written += bytesWritten
    }
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Make a rename in `dir` durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Remove uploads abandoned for `olderThanMs` (the part file untouched that long, e.g. a photo
 * deleted on the phone halfway): the part file and the record of an unfinished upload. A phone
 * that still comes back starts that photo again from the beginning.
 */
export async function removeAbandonedUploads(
  ctx: Pick<AppContext, 'db' | 'photoDir'>,
  olderThanMs = ABANDONED_UPLOAD_MS,
  now = Date.now(),
): Promise<number> {
  let names: string[]
  try {
    names = await readdir(ctx.photoDir)
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return 0
    throw err
  }
  let removed = 0
  for (const name of names) {
    if (!name.endsWith('.part')) continue
    const path = join(ctx.photoDir, name)
    const info = await stat(path).catch(() => null)
    if (!info || now - info.mtimeMs < olderThanMs) continue
    await removeUnfinished(ctx.db, name.slice(0, -'.part'.length))
    await rm(path, { force: true })
    removed++
  }
  return removed
}

/**
 * Visit photos, uploaded in chunks that resume where the server stopped (a phone killed halfway
 * asks for the status and goes on). Stored under DATA_DIR/photos, checked for size and type,
 * served only to those who may see the visit.
 *
 * Crash-safe: each chunk is written at its offset in `<id>.part` and fsynced before the database
 * records the new offset, so the server only ever counts bytes it holds durably; on resume it
 * trusts the smaller of the recorded offset and the part file's length (and cuts off anything
 * beyond the record). The finished file is fsynced, renamed into place and the rename made
 * durable before the photo is recorded complete; a crash after the rename is finished on the
 * next request.
 */
export function photoRoutes(app: FastifyInstance, ctx: AppContext): void {
  const dir = ctx.photoDir
  const file = (id: string) => join(dir, id)
  const part = (id: string) => `${file(id)}.part`
  let cleanup: NodeJS.Timeout | null = null
  const clean = () =>
    removeAbandonedUploads(ctx)
      .then((n) => n > 0 && app.log.info({ removed: n }, 'photos: abandoned uploads removed'))
      .catch((err: unknown) => app.log.error({ err }, 'photos: removing abandoned uploads failed'))
  app.addHook('onReady', async () => {
    await clean()
    cleanup = setInterval(() => void clean(), CLEANUP_EVERY_MS)
    cleanup.unref()
  })
  app.addHook('onClose', async () => {
    if (cleanup) clearInterval(cleanup)
  })

  /** How many bytes of an unfinished upload the server holds for certain (see above). */
  async function durableReceived(id: string, recorded: number): Promise<number> {
    const size = (await sizeOf(part(id))) ?? 0
    if (size >= recorded) return recorded
    // The part file lost bytes it had been recorded with (damaged or removed): go on from what is there.
    await correctReceived(ctx.db, id, size)
    return size
  }

  /** The server stopped after moving the finished file into place and before recording it: record it now. */
  async function recoverFinished(id: string, total: number): Promise<boolean> {
    if ((await sizeOf(part(id))) !== null || (await sizeOf(file(id))) !== total) return false
    const mime = imageType(await readHead(file(id)))
    if (!mime) return false
    await markComplete(ctx.db, id, total, mime)
    return true
  }
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK_BYTES + 1024 }, (_req, body, done) =>
    done(null, body),
  )

  const visibleVisit = (viewer: Viewer, visitId: string) => visitWithin(ctx.read, visitId, visitScope(viewer))
  const visibleMeeting = (viewer: Viewer, meetingId: string) => meetingPhotosWithin(ctx.read, meetingId, meetingScope(viewer))
  const visibleTraining = (viewer: Viewer, id: string) => trainingPhotosWithin(ctx.read, id, outsideTrainingScope(viewer))
  const visibleOwner = (viewer: Viewer, table: 'visits' | 'meetings' | 'outside_trainings', id: string) =>
    table === 'meetings'
      ? visibleMeeting(viewer, id)
      : table === 'outside_trainings'
        ? visibleTraining(viewer, id)
        : visibleVisit(viewer, id)
  /** Who may add photos to what: those who went on a visit; those who manage a meeting. Returns the owner's photo list. */
  async function ownerFor(
    viewer: Viewer,
    q: { visit?: string; meeting?: string; training?: string },
  ): Promise<{ table: 'visits' | 'meetings' | 'outside_trainings'; id: string; photoIds: string[] }> {
    if (q.visit) {
      const visit = await visibleVisit(viewer, q.visit)
      if (!visit || visit.deleted === 1) throw new HttpError(404, 'not_found', '走访记录尚未同步或不存在')
      if (!idList(visit.member_ids).includes(viewer.id)) throw new HttpError(403, 'forbidden', '只有参加走访的人员可以上传照片')
      return { table: 'visits', id: visit.id, photoIds: idList(visit.photo_ids) }
    }
    if (q.meeting) {
      const meeting = await visibleMeeting(viewer, q.meeting)
      if (!meeting || meeting.deleted === 1) throw new HttpError(404, 'not_found', '会议尚未同步或不存在')
      if (!managesBranch(viewer, meeting.branch_id)) throw new HttpError(403, 'forbidden', '只有会议组织者可以上传会议照片')
      return { table: 'meetings', id: meeting.id, photoIds: idList(meeting.photo_ids) }
    }
    if (q.training) {
      const training = await visibleTraining(viewer, q.training)
      if (!training || training.deleted === 1) throw new HttpError(404, 'not_found', '培训记录尚未同步或不存在')
      if (training.member_id !== viewer.id) throw new HttpError(403, 'forbidden', '只有本人可以上传培训证书')
      return { table: 'outside_trainings', id: training.id, photoIds: idList(training.photo_ids) }
    }
    throw new HttpError(400, 'validation', '请指明照片所属的走访、会议或培训')
  }

  route(app, contracts.uploadPhotoChunk, {
    access: 'viewer',
    handler: async ({ request, viewer, params: { id }, query: q }) => {
      if (q.total < 1 || q.total > MAX_PHOTO_BYTES)
        throw new HttpError(413, 'payload_too_large', '照片过大（最多 5 MB），请重新拍摄或选择较小的图片')
      const chunk = request.body
      if (!Buffer.isBuffer(chunk) || chunk.length === 0) throw new HttpError(400, 'validation', '请以二进制上传照片内容')
      const owner = await ownerFor(viewer, q)
      if (!owner.photoIds.includes(id)) throw new HttpError(409, 'conflict', '记录中没有这张照片，请先同步')
      await mkdir(dir, { recursive: true })
      const row = await photoRow(ctx.db, id)
      if (row?.complete === 1) return { received: Number(row.total), complete: true }
      if (row && (row.owner_id !== owner.id || Number(row.total) !== q.total)) throw new HttpError(409, 'conflict', '照片信息不一致')
      if (row && (await recoverFinished(id, q.total))) return { received: q.total, complete: true }
      const received = row ? await durableReceived(id, Number(row.received)) : 0
      if (q.offset !== received) throw new HttpError(409, 'upload_offset', `上传位置不符（服务器已收到 ${received} 字节）`)
      if (received + chunk.length > q.total) throw new HttpError(422, 'validation', '照片内容超出声明的大小')
      if (!row) {
        await rm(part(id), { force: true })
        await startUpload(ctx.db, {
          id,
          orgId: viewer.orgId,
          ownerTable: owner.table,
          ownerId: owner.id,
          uploaderId: viewer.id,
          total: q.total,
        })
      }
      // On disk (fsynced) before the database counts it.
      await writeChunk(part(id), received, chunk)
      const now = received + chunk.length
      if (now < q.total) {
        await setReceived(ctx.db, id, now)
        return { received: now, complete: false }
      }
      const mime = imageType(await readHead(part(id)))
      if (!mime || (await sizeOf(part(id))) !== q.total) {
        await rm(part(id), { force: true })
        await removePhoto(ctx.db, id)
        throw new HttpError(422, 'validation', '只能上传图片（JPEG、WebP 或 PNG）')
      }
      await rename(part(id), file(id))
      await syncDir(dir)
      await markComplete(ctx.db, id, now, mime)
      return { received: now, complete: true }
    },
  })

  route(app, contracts.photoStatus, {
    access: 'viewer',
    handler: async ({ viewer, params: { id } }) => {
      const row = await photoRow(ctx.read, id)
      if (row && row.uploader_id !== viewer.id) throw new HttpError(404, 'not_found')
      if (!row) return { received: 0, complete: false }
      if (row.complete === 1 || (await recoverFinished(id, Number(row.total)))) return { received: Number(row.total), complete: true }
      // Only what the server holds for certain: the phone sends the rest from there.
      return { received: await durableReceived(id, Number(row.received)), complete: false }
    },
  })

  route(app, contracts.photo, {
    access: 'viewer',
    handler: async ({ reply, viewer, params: { id } }) => {
      const row = await photoRow(ctx.read, id)
      const visible = row && (await visibleOwner(viewer, row.owner_table, row.owner_id))
      if (!row || row.complete !== 1 || !visible) throw new HttpError(404, 'not_found', '照片不存在或尚未上传')
      return reply
        .header('content-type', row.mime)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(file(id)))
    },
  })
}
