import { createReadStream } from 'node:fs'
import { appendFile, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import * as v from 'valibot'
import type { AppContext } from '../context.ts'
import { HttpError, parseInput } from '../lib/http-error.ts'
import { nowIso } from '../lib/time.ts'
import { requireViewer } from '../plugins/auth.ts'
import { Uuid } from '../../core/schemas/common.ts'
import { meetingScope, visitScope } from '../sync/pull.ts'
import { managesBranch } from '../admin/scope.ts'
import type { Viewer } from '../sync/viewer.ts'

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
export const CHUNK_BYTES = 512 * 1024

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
  if (head.length >= 12 && head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp'
  return null
}

/**
 * Visit photos, uploaded in chunks that resume where the server stopped (a phone killed halfway
 * asks for the status and goes on). Stored under DATA_DIR/photos, checked for size and type,
 * served only to those who may see the visit.
 */
export function photoRoutes(app: FastifyInstance, ctx: AppContext): void {
  const dir = ctx.photoDir
  const file = (id: string) => join(dir, id)
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK_BYTES + 1024 }, (_req, body, done) => done(null, body))

  async function visibleVisit(viewer: Viewer, visitId: string) {
    return ctx.read.selectFrom('visits').select(['id', 'member_ids', 'photo_ids', 'deleted']).where('id', '=', visitId).where(visitScope(viewer)).executeTakeFirst()
  }
  async function visibleMeeting(viewer: Viewer, meetingId: string) {
    return ctx.read.selectFrom('meetings').select(['id', 'branch_id', 'photo_ids', 'deleted']).where('id', '=', meetingId).where(meetingScope(viewer)).executeTakeFirst()
  }
  /** Who may add photos to what: those who went on a visit; those who manage a meeting. Returns the owner's photo list. */
  async function ownerFor(viewer: Viewer, q: { visit?: string; meeting?: string }): Promise<{ table: 'visits' | 'meetings'; id: string; photoIds: string[] }> {
    if (q.visit) {
      const visit = await visibleVisit(viewer, q.visit)
      if (!visit || visit.deleted === 1) throw new HttpError(404, 'not_found', '走访记录尚未同步或不存在')
      if (!(JSON.parse(visit.member_ids) as string[]).includes(viewer.id)) throw new HttpError(403, 'forbidden', '只有参加走访的人员可以上传照片')
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
    if (q.total < 1 || q.total > MAX_PHOTO_BYTES) throw new HttpError(413, 'payload_too_large', '照片过大（最多 5 MB），请重新拍摄或选择较小的图片')
    const chunk = request.body
    if (!Buffer.isBuffer(chunk) || chunk.length === 0) throw new HttpError(400, 'validation', '请以二进制上传照片内容')
    const owner = await ownerFor(viewer, q)
    if (!owner.photoIds.includes(id)) throw new HttpError(409, 'conflict', '记录中没有这张照片，请先同步')
    await mkdir(dir, { recursive: true })
    const row = await ctx.db.selectFrom('photos').selectAll().where('id', '=', id).executeTakeFirst()
    if (row?.complete === 1) return { received: Number(row.total), complete: true }
    if (row && (row.visit_id !== owner.id || Number(row.total) !== q.total)) throw new HttpError(409, 'conflict', '照片信息不一致')
    const received = Number(row?.received ?? 0)
    if (q.offset !== received) throw new HttpError(409, 'conflict', `上传位置不符（服务器已收到 ${received} 字节）`)
    if (received + chunk.length > q.total) throw new HttpError(422, 'validation', '照片内容超出声明的大小')
    if (!row) {
      await rm(`${file(id)}.part`, { force: true })
      await ctx.db.insertInto('photos').values({ id, org_id: viewer.orgId, owner_table: owner.table, visit_id: owner.id, uploader_id: viewer.id, mime: '', total: q.total, received: 0, complete: 0, created_at: nowIso() }).execute()
    }
    await appendFile(`${file(id)}.part`, chunk)
    const now = received + chunk.length
    if (now < q.total) {
      await ctx.db.updateTable('photos').set({ received: now }).where('id', '=', id).execute()
      return { received: now, complete: false }
    }
    const handle = await open(`${file(id)}.part`, 'r')
    const head = Buffer.alloc(12)
    await handle.read(head, 0, 12, 0)
    await handle.close()
    const mime = imageType(head)
    if (!mime || (await stat(`${file(id)}.part`)).size !== q.total) {
      await rm(`${file(id)}.part`, { force: true })
      await ctx.db.deleteFrom('photos').where('id', '=', id).execute()
      throw new HttpError(422, 'validation', '只能上传图片（JPEG、WebP 或 PNG）')
    }
    await rename(`${file(id)}.part`, file(id))
    await ctx.db.updateTable('photos').set({ received: now, complete: 1, mime }).where('id', '=', id).execute()
    return { received: now, complete: true }
  })

  app.get('/api/photos/:id/status', async (request) => {
    const viewer = requireViewer(request)
    const { id } = parseInput(Params, request.params)
    const row = await ctx.read.selectFrom('photos').select(['received', 'complete', 'uploader_id']).where('id', '=', id).executeTakeFirst()
    if (row && row.uploader_id !== viewer.id) throw new HttpError(404, 'not_found')
    return { received: Number(row?.received ?? 0), complete: row?.complete === 1 }
  })

  app.get('/api/photos/:id', async (request, reply) => {
    const viewer = requireViewer(request)
    const { id } = parseInput(Params, request.params)
    const row = await ctx.read.selectFrom('photos').select(['visit_id', 'owner_table', 'mime', 'complete']).where('id', '=', id).executeTakeFirst()
    const visible = row && (row.owner_table === 'meetings' ? await visibleMeeting(viewer, row.visit_id) : await visibleVisit(viewer, row.visit_id))
    if (!row || row.complete !== 1 || !visible) throw new HttpError(404, 'not_found', '照片不存在或尚未上传')
    return reply.header('content-type', row.mime).header('cache-control', 'private, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(createReadStream(file(id)))
  })
}
