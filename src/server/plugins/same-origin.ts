import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HttpError } from '../lib/http-error.ts'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The routes whose body is binary, each with the one content type it takes instead of JSON. */
export const BINARY_BODY_TYPES: Readonly<Record<string, string>> = {
  'PUT /api/photos/:id': 'application/octet-stream',
}

/** Sec-Fetch-Site values a browser sends for the app's own requests (`none`: typed by the user). */
const OWN_FETCH_SITES = new Set(['same-origin', 'none'])

/** What a refused request from elsewhere reads (403 `forbidden`). */
export const CROSS_ORIGIN_MESSAGE = '请求不是来自本应用的页面，已拒绝'

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' }

/** `type/subtype` of a Content-Type header, without parameters, in lower case. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? ''
}

/**
 * Is `origin` the app's own origin? Compared with the host the request was sent to (the Host
 * header, or X-Forwarded-Host only when the app trusts the proxy: Fastify's `request.host`).
 * The scheme must match too when the server knows it (TLS here or a trusted X-Forwarded-Proto);
 * behind a TLS proxy that is not trusted the connection looks like plain HTTP, so an https
 * origin is then accepted for the same host.
 */
function isOwnOrigin(request: FastifyRequest, origin: string): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false // "null" (sandboxed frames, file:, some redirects) and anything malformed
  }
  // A browser sends the origin's exact serialisation: scheme, host, non-default port, no path.
  if (url.origin !== origin || !(url.protocol in DEFAULT_PORTS)) return false
  const host = request.host.toLowerCase()
  const sameHost = host === url.host || host === `${url.host}:${DEFAULT_PORTS[url.protocol] ?? ''}`
  const sameScheme = url.protocol === `${request.protocol}:` || (url.protocol === 'https:' && request.protocol === 'http')
  return sameHost && sameScheme
}

function fromElsewhere(request: FastifyRequest): boolean {
  const origin = request.headers.origin
  if (origin !== undefined && !isOwnOrigin(request, origin)) return true
  const site = request.headers['sec-fetch-site']
  return site !== undefined && !OWN_FETCH_SITES.has(site)
}

/**
 * Cross-site request forgery: every state-changing request (POST, PUT, PATCH, DELETE) must come
 * from the app's own origin and carry JSON (or, on a binary route, exactly its declared type).
 * SameSite=Strict keeps the session cookie from other sites, but a sibling subdomain is the same
 * site, and a body-less POST or a `text/plain` one needs no CORS preflight. A browser always
 * sends Origin or Sec-Fetch-Site with such a request; a client that sends neither (no browser)
 * passes the origin check but still needs the content type. Checked before the session is read.
 */
export function refuseCrossOrigin(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (!STATE_CHANGING.has(request.method)) return
    if (fromElsewhere(request)) throw new HttpError(403, 'forbidden', CROSS_ORIGIN_MESSAGE)
    const declared = BINARY_BODY_TYPES[`${request.method} ${request.routeOptions.url ?? ''}`]
    const wanted = declared ?? 'application/json'
    if (mediaType(request.headers['content-type']) !== wanted) {
      throw new HttpError(
        415,
        'bad_request',
        declared ? `请以 ${declared} 格式上传内容` : '请求内容应为 JSON（Content-Type: application/json）',
      )
    }
  })
}
