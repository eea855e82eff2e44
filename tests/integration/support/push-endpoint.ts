import { createECDH, randomBytes, type ECDH } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, Agent, type Server } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decrypt } from 'http_ece'
import type { PushPayload } from '../../../src/core/schemas/push.ts'

export interface Received {
  path: string
  headers: Record<string, string | string[] | undefined>
  payload: PushPayload
}

export interface FakeSubscription {
  endpoint: string
  keys: { p256dh: string; auth: string }
  ecdh: ECDH
  auth: string
}

/**
 * A stand-in push service on 127.0.0.1 over HTTPS (web-push only speaks HTTPS), with a
 * throw-away self-signed certificate. It decrypts every message with the subscriber's private
 * key, as the browser would, and can answer 410 (gone) or 500 for chosen subscriptions.
 */
export class PushEndpoint {
  readonly received: Received[] = []
  readonly answer = new Map<string, number>()
  private server: Server | null = null
  private readonly keys = new Map<string, FakeSubscription>()
  agent!: Agent
  port = 0

  async start(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'push-cert-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    const key = readFileSync(join(dir, 'key.pem'))
    const cert = readFileSync(join(dir, 'cert.pem'))
    rmSync(dir, { recursive: true, force: true })
    this.agent = new Agent({ ca: cert })
    this.server = createServer({ key, cert }, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const path = req.url ?? ''
        const status = this.answer.get(path) ?? 201
        const sub = this.keys.get(path)
        if (status === 201 && sub) {
          const plain = decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.auth })
          this.received.push({ path, headers: req.headers, payload: JSON.parse(plain.toString('utf8')) as PushPayload })
        }
        res.writeHead(status).end()
      })
    })
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r))
    const addr = this.server.address()
    if (addr && typeof addr === 'object') this.port = addr.port
  }

  /** A browser-like subscription whose messages arrive at this endpoint. */
  subscription(name: string): FakeSubscription {
    const ecdh = createECDH('prime256v1')
    ecdh.generateKeys()
    const auth = randomBytes(16).toString('base64url')
    const path = `/push/${name}`
    const sub = {
      endpoint: `https://127.0.0.1:${this.port}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth },
      ecdh,
      auth,
    }
    this.keys.set(path, sub)
    return sub
  }

  for(name: string): PushPayload[] {
    return this.received.filter((r) => r.path === `/push/${name}`).map((r) => r.payload)
  }

  async stop(): Promise<void> {
    this.agent.destroy()
    await new Promise<void>((r) => this.server?.close(() => r()))
  }
}
