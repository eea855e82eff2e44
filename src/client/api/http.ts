import type { ApiErrorBody, ErrorCode } from '../../core/errors.ts'

/** The server answered with an error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** No answer: offline, server down, or the connection dropped. */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('网络不可用', { cause })
  }
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>

export interface HttpClient {
  /** `headers`: sent with this request besides the usual ones (the sync calls' schema version). */
  get<T>(path: string, headers?: Record<string, string>): Promise<T>
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>
  /** Binary upload (a photo chunk). */
  put<T>(path: string, body: Blob): Promise<T>
}

/** A request without an answer by then is treated as a network failure (half-open connections on weak signal). */
export const REQUEST_TIMEOUT_MS = 30_000

/** The only place the client talks HTTP. Components never call fetch. */
export function createHttpClient(baseUrl = '', fetchFn: FetchFn = (i, init) => fetch(i, init), timeoutMs = REQUEST_TIMEOUT_MS): HttpClient {
  async function request<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    let res: Response
    const binary = body instanceof Blob
    try {
      res = await fetchFn(baseUrl + path, {
        method,
        credentials: 'same-origin',
        signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(timeoutMs) : undefined,
        headers:
          body === undefined
            ? { ...extra, accept: 'application/json' }
            : { ...extra, accept: 'application/json', 'content-type': binary ? 'application/octet-stream' : 'application/json' },
        body: body === undefined ? undefined : binary ? body : JSON.stringify(body),
      })
    } catch (err) {
      throw new NetworkError(err)
    }
    const text = await res.text().catch((err: unknown) => {
      throw new NetworkError(err)
    })
    let data: unknown
    try {
      data = text ? JSON.parse(text) : null
    } catch {
      // A proxy's HTML error page, a captive portal...: no usable answer.
      throw new NetworkError(new Error(`non-JSON response ${res.status}`))
    }
    if (!res.ok) {
      const err = (data as Partial<ApiErrorBody> | null)?.error
      if (err?.code) throw new ApiError(res.status, err.code, err.message)
      if (res.status >= 500) throw new NetworkError(new Error(`status ${res.status}`))
      throw new ApiError(res.status, 'bad_request', `请求失败（${res.status}）`)
    }
    return data as T
  }
  return {
    get: (path, headers) => request('GET', path, undefined, headers),
    post: (path, body, headers) => request('POST', path, body ?? {}, headers),
    put: (path, body) => request('PUT', path, body),
  }
}
