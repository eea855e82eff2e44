import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { chance } from './random.ts'

export interface FaultRates {
  /** The request never reaches the server. */
  dropRequest: number
  /** The server handles the request (and commits), but the answer is lost. */
  dropResponse: number
  /** The request is sent to the server twice; the client gets one answer. */
  duplicate: number
  /** Held back for a while, so later requests overtake it. */
  delay: number
}

export const NO_FAULTS: FaultRates = { dropRequest: 0, dropResponse: 0, duplicate: 0, delay: 0 }

export interface FaultStats {
  requests: number
  droppedRequests: number
  droppedResponses: number
  duplicated: number
  delayed: number
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the real server that drops, delays, duplicates and
 * reorders requests and responses, decided by a seeded random source.
 */
export class FaultProxy {
  rates: FaultRates = NO_FAULTS
  readonly stats: FaultStats = { requests: 0, droppedRequests: 0, droppedResponses: 0, duplicated: 0, delayed: 0 }
  private server: http.Server | null = null

  constructor(
    private target: () => string,
    private readonly rand: () => number,
  ) {}

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null
    return `http://127.0.0.1:${addr?.port ?? 0}`
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r))
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((r) => this.server?.close(() => r()))
  }

  private async forward(
    method: string,
    url: string,
    headers: http.IncomingHttpHeaders,
    body: Buffer,
  ): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const h = new Headers()
    for (const [k, v] of Object.entries(headers))
      if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') h.set(k, v)
    const res = await fetch(this.target() + url, {
      method,
      headers: h,
      body: method === 'GET' ? undefined : new Uint8Array(body),
      signal: AbortSignal.timeout(10_000),
    })
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    this.stats.requests++
    const r = this.rand
    if (chance(r, this.rates.delay)) {
      this.stats.delayed++
      await new Promise((ok) => setTimeout(ok, 5 + Math.floor(r() * 60)))
    }
    if (chance(r, this.rates.dropRequest)) {
      this.stats.droppedRequests++
      res.socket?.destroy()
      return
    }
    try {
      const duplicate = chance(r, this.rates.duplicate)
      const first = this.forward(req.method ?? 'GET', req.url ?? '/', req.headers, body)
      let answer = await first
      if (duplicate) {
        this.stats.duplicated++
        answer = await this.forward(req.method ?? 'GET', req.url ?? '/', req.headers, body)
      }
      if (chance(r, this.rates.dropResponse)) {
        this.stats.droppedResponses++
        res.socket?.destroy()
        return
      }
      const out: Record<string, string | string[]> = {}
      answer.headers.forEach((v, k) => {
        if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'set-cookie')
          out[k] = v
      })
      const cookies = answer.headers.getSetCookie()
      if (cookies.length) out['set-cookie'] = cookies
      res.writeHead(answer.status, out)
      res.end(answer.body)
    } catch {
      // the server is down (restarting): the client sees a broken connection
      res.socket?.destroy()
    }
  }
}
