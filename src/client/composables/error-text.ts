import { ApiError } from '../api/http.ts'

/** What the user reads for a failed request: the server's own Chinese message, or why there was no answer. */
export function errorText(err: unknown, offline = '无法连接服务器，请联网后重试'): string {
  return err instanceof ApiError ? err.message : offline
}
