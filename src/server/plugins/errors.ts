import type { FastifyError, FastifyInstance } from 'fastify'
import { errorBody, type ErrorCode } from '../../core/errors.ts'
import { HttpError } from '../lib/http-error.ts'

/** Framework errors (bad JSON, body too large, wrong content type...) mapped to our codes. */
function codeForStatus(status: number): ErrorCode {
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limited'
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  return 'bad_request'
}

/** Every error leaves as `{error:{code,message}}`; 4xx keep a readable message; nothing leaks a stack. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) return reply.status(err.statusCode).send(errorBody(err.code, err.message))
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500
    if (status >= 400 && status < 500) {
      request.log.info({ code: err.code, status }, 'client error')
      const code = codeForStatus(status)
      return reply.status(status).send(errorBody(code))
    }
    request.log.error({ err }, 'unhandled error')
    return reply.status(500).send(errorBody('internal'))
  })
}

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (depth > 64 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false
  for (const [k, v] of Object.entries(value)) if (k.includes('\u0000') || hasNul(v, depth + 1)) return true
  return false
}

/**
 * A NUL character has no place in anything a person writes, and PostgreSQL cannot store one in
 * text: refuse it in any body, query or path up front, as bad input rather than a server error.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (hasNul(request.body) || hasNul(request.query) || hasNul(request.params)) {
      throw new HttpError(400, 'validation', '内容包含不允许的控制字符')
    }
  })
}
