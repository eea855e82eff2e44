import { constants, createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import * as v from 'valibot'
import type { AppContext } from '../context.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import { requireViewer } from '../plugins/auth.ts'
import { Uuid } from '../../core/schemas/common.ts'
import { meetingScope } from '../sync/tables/meetings.ts'
import { visitScope } from '../sync/tables/visits.ts'
import { managesBranch } from '../../core/domain/authority.ts'
import type { Viewer } from '../lib/viewer.ts'

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
export const CHUNK_BYTES = 512 * 1024
/** An unfinished upload untouched this long is abandoned: its part file and record are removed. */
export const ABANDONED_UPLOAD_MS = 7 * 24 * 3600 * 1000
const CLEANUP_EVERY_MS = 6 * 3600 * 1000

const Params = v.object({ id: Uuid })
const Query = v.object({
  visit: v.optional(Uuid),
  meeting: v.optional(Uuid),
  offset: v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number)),
  total: v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number)),
})

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
    await ctx.db.deleteFrom('photos').where('id', '=', name.slice(0, -'.part'.length)).where('complete', '=', 0).execute()
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
    await ctx.db.updateTable('photos').set({ received: size }).where('id', '=', id).where('complete', '=', 0).execute()
    return size
  }

  /** The server stopped after moving the finished file into place and before recording it: record it now. */
  async function recoverFinished(id: string, total: number): Promise<boolean> {
    if ((await sizeOf(part(id))) !== null || (await sizeOf(file(id))) !== total) return false
    const mime = imageType(await readHead(file(id)))
    if (!mime) return false
    await ctx.db.updateTable('photos').set({ received: total, complete: 1, mime }).where('id', '=', id).execute()
    return true
  }
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK_BYTES + 1024 }, (_req, body, done) =>
    done(null, body),
  )

  async function visibleVisit(viewer: Viewer, visitId: string) {
    return ctx.read
      .selectFrom('visits')
      .select(['id', 'member_ids', 'photo_ids', 'deleted'])
      .where('id', '=', visitId)
      .where(visitScope(viewer))
      .executeTakeFirst()
  }
  async function visibleMeeting(viewer: Viewer, meetingId: string) {
    return ctx.read
      .selectFrom('meetings')
      .select(['id', 'branch_id', 'photo_ids', 'deleted'])
      .where('id', '=', meetingId)
      .where(meetingScope(viewer))
      .executeTakeFirst()
  }
  /** Who may add photos to what: those who went on a visit; those who manage a meeting. Returns the owner's photo list. */
  async function ownerFor(
    viewer: Viewer,
    q: { visit?: string; meeting?: string },
  ): Promise<{ table: 'visits' | 'meetings'; id: string; photoIds: string[] }> {
    if (q.visit) {
      const visit = await visibleVisit(viewer, q.visit)
      if (!visit || visit.deleted === 1) throw new HttpError(404, 'not_found', '走访记录尚未同步或不存在')
      if (!(JSON.parse(visit.member_ids) as string[]).includes(viewer.id))
        throw new HttpError(403, 'forbidden', '只有参加走访的人员可以上传照片')
      return { table: 'visits', id: visit.id, photoIds: JSON.parse(visit.photo_ids) as string[] }
    }
    if (q.meeting) {
      const meeting = await visibleMeeting(viewer, q.meeting)
      if (!meeting || meeting.deleted === 1) throw new HttpError(404, 'not_found', '会议尚未同步或不存在')
      if (!managesBranch(viewer, meeting.branch_id)) throw new HttpError(403, 'forbidden', '只有会议组织者可以上传会议照片')
      return { table: 'meetings', id: meeting.id, photoIds: JSON.parse(meeting.photo_ids) as string[] }
    }
    throw new HttpError(400, 'validation', '请指明照片所属的走访或会议')
  }

  app.put('/api/photos/:id', async (request) => {
    const viewer = requireViewer(request)
    const { id } = parseInput(Params, request.params)
    const q = parseInput(Query, request.query)
    if (q.total < 1 || q.total > MAX_PHOTO_BYTES)
      throw new HttpError(413, 'payload_too_large', '照片过大（最多 5 MB），请重新拍摄或选择较小的图片')
    const chunk = request.body
    if (!Buffer.isBuffer(chunk) || chunk.length === 0) throw new HttpError(400, 'validation', '请以二进制上传照片内容')
    const owner = await ownerFor(viewer, q)
    if (!owner.photoIds.includes(id)) throw new HttpError(409, 'conflict', '记录中没有这张照片，请先同步')
    await mkdir(dir, { recursive: true })
    const row = await ctx.db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst()
    if (row?.complete === 1) return { received: Number(row.total), complete: true }
    if (row && (row.owner_id !== owner.id || Number(row.total) !== q.total)) throw new HttpError(409, 'conflict', '照片信息不一致')
    if (row && (await recoverFinished(id, q.total))) return { received: q.total, complete: true }
    const received = row ? await durableReceived(id, Number(row.received)) : 0
    if (q.offset !== received) throw new HttpError(409, 'upload_offset', `上传位置不符（服务器已收到 ${received} 字节）`)
    if (received + chunk.length > q.total) throw new HttpError(422, 'validation', '照片内容超出声明的大小')
    if (!row) {
      await rm(part(id), { force: true })
      await ctx.db
        .insertInto('photos')
        .values({
          id,
          org_id: viewer.orgId,
          owner_table: owner.table,
          owner_id: owner.id,
          uploader_id: viewer.id,
          mime: '',
          total: q.total,
          received: 0,
          complete: 0,
          created_at: nowIso(),
        })
        .execute()
    }
    // On disk (fsynced) before the database counts it.
    await writeChunk(part(id), received, chunk)
    const now = received + chunk.length
    if (now < q.total) {
      await ctx.db.updateTable('photos').set({ received: now }).where('id', '=', id).execute()
      return { received: now, complete: false }
    }
    const mime = imageType(await readHead(part(id)))
    if (!mime || (await sizeOf(part(id))) !== q.total) {
      await rm(part(id), { force: true })
      await ctx.db.deleteFrom('photos').where('id', '=', id).execute()
      throw new HttpError(422, 'validation', '只能上传图片（JPEG、WebP 或 PNG）')
    }
    await rename(part(id), file(id))
    await syncDir(dir)
    await ctx.db.updateTable('photos').set({ received: now, complete: 1, mime }).where('id', '=', id).execute()
    return { received: now, complete: true }
  })

  app.get('/api/photos/:id/status', async (request) => {
    const viewer = requireViewer(request)
    const { id } = parseInput(Params, request.params)
    const row = await ctx.read
      .selectFrom('photos')
      .select(['received', 'total', 'complete', 'uploader_id'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (row && row.uploader_id !== viewer.id) throw new HttpError(404, 'not_found')
    if (!row) return { received: 0, complete: false }
    if (row.complete === 1 || (await recoverFinished(id, Number(row.total)))) return { received: Number(row.total), complete: true }
    // Only what the server holds for certain: the phone sends the rest from there.
    return { received: await durableReceived(id, Number(row.received)), complete: false }
  })

  app.get('/api/photos/:id', async (request, reply) => {
    const viewer = requireViewer(request)
    const { id } = parseInput(Params, request.params)
    const row = await ctx.read
      .selectFrom('photos')
      .select(['owner_id', 'owner_table', 'mime', 'complete'])
      .where('id', '=', id)
      .executeTakeFirst()
    const visible =
      row && (row.owner_table === 'meetings' ? await visibleMeeting(viewer, row.owner_id) : await visibleVisit(viewer, row.owner_id))
    if (!row || row.complete !== 1 || !visible) throw new HttpError(404, 'not_found', '照片不存在或尚未上传')
    return reply
      .header('content-type', row.mime)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(file(id)))
  })
}
