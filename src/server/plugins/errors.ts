import type { FastifyError, FastifyInstance } from 'fastify'
import { errorBody, type ErrorCode } from '../../core/errors.ts'
import { HttpError } from '../lib/http-error.ts'
import { isStorageFull, isWriteConflict, type StorageState } from '../lib/storage.ts'
import { CLOSING_RETRY_AFTER_SECONDS } from './closing.ts'

/** Framework errors (bad JSON, body too large, wrong content type...) mapped to our codes. */
function codeForStatus(status: number): ErrorCode {
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limited'
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  return 'bad_request'
}

/**
 * Every error leaves as `{error:{code,message}}`; 4xx keep a readable message; nothing leaks a
 * stack. A write that failed for lack of space is logged with its real cause and answered 507
 * `storage_full` (nothing of it was stored); 503s say when to try again.
 */
export function registerErrorHandling(app: FastifyInstance, storage?: StorageState): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      // A 503 (restarting, busy) says when to try again.
      if (err.statusCode === 503) void reply.header('retry-after', String(CLOSING_RETRY_AFTER_SECONDS))
      return reply.status(err.statusCode).send(errorBody(err.code, err.message))
    }
    if (isStorageFull(err)) {
      storage?.noteFull(err)
      request.log.error({ err }, 'storage full: the write was not stored')
      return reply.status(507).send(errorBody('storage_full'))
    }
    if (isWriteConflict(err)) {
      // Two transactions crossed (an administrator's change racing a sync): nothing was stored.
      request.log.warn({ err }, 'write conflict: answered 503, the client tries again')
      void reply.header('retry-after', '1')
      return reply.status(503).send(errorBody('unavailable', '服务器繁忙，请稍后重试'))
    }
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

/** A lone UTF-16 surrogate: the string is not well-formed Unicode (paired surrogates are one code point here). */
const LONE_SURROGATE = /\p{Cs}/u

type TextProblem = 'nul' | 'broken_unicode'

function textProblem(s: string): TextProblem | null {
  if (s.includes('\u0000')) return 'nul'
  if (LONE_SURROGATE.test(s)) return 'broken_unicode'
  return null
}

/** The first string (value or key) in the input that cannot be stored as text, however deep (walked without recursion). */
function findTextProblem(input: unknown): TextProblem | null {
  const pending: unknown[] = [input]
  while (pending.length > 0) {
    const value = pending.pop()
    if (typeof value === 'string') {
      const problem = textProblem(value)
      if (problem) return problem
      continue
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue
    for (const [k, v] of Object.entries(value)) {
      const problem = textProblem(k)
      if (problem) return problem
      pending.push(v)
    }
  }
  return null
}

const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  nul: '内容包含不允许的控制字符',
  broken_unicode: '内容包含无法识别的字符（不完整的 Unicode 编码），请删除后重新输入',
}

/**
 * Text that cannot be stored as written is refused up front, in any body, query or path, as bad
 * input rather than a server error or a silent change: a NUL character (no place in anything a
 * person writes, and PostgreSQL cannot store one) and a string that is not well-formed Unicode (a
 * lone surrogate, which JSON.parse makes of a "\ud800" escape; SQLite and PostgreSQL would each
 * store something else). Checked after parsing, so every route and every synced field is covered.
 */
export function refuseMalformedText(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const problem = findTextProblem(request.body) ?? findTextProblem(request.query) ?? findTextProblem(request.params)
    if (problem) throw new HttpError(400, 'validation', TEXT_PROBLEM_MESSAGES[problem])
  })
}
