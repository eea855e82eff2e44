import * as v from 'valibot'
import { contract } from './contract.ts'
import { Uuid } from '../schemas/common.ts'

/** Visit and meeting photos: uploaded in resumable binary chunks, served only to those who may see their record. */
const PhotoParams = v.object({ id: Uuid })
const UploadStatus = v.object({ received: v.number(), complete: v.boolean() })
const Offset = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number))

/** One chunk (application/octet-stream) at `offset` of a photo of `total` bytes, for a visit, a meeting or an outside training (its certificate). */
export const uploadPhotoChunk = contract({
  method: 'PUT',
  path: '/api/photos/:id',
  params: PhotoParams,
  query: v.object({ visit: v.optional(Uuid), meeting: v.optional(Uuid), training: v.optional(Uuid), offset: Offset, total: Offset }),
  response: UploadStatus,
})
/** How much of an unfinished upload the server holds: the phone sends the rest from there. */
export const photoStatus = contract({ method: 'GET', path: '/api/photos/:id/status', params: PhotoParams, response: UploadStatus })
/** The photo itself (image/jpeg, png or webp). */
export const photo = contract({ method: 'GET', path: '/api/photos/:id', params: PhotoParams })
