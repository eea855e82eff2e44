import * as v from 'valibot'
import { ERROR_MESSAGES, type ErrorCode } from '../../core/errors.ts'
import { issuesToMessage } from '../../core/schemas/common.ts'

/** An error the client is meant to read: its status, code and Chinese message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ERROR_MESSAGES[code])
  }
}

/** Validate untrusted input with a shared schema; bad input becomes a 400 with a readable message. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input)
  if (!result.success) throw new HttpError(400, 'validation', issuesToMessage(result.issues, schema))
  return result.output
}
