import { createHash, createHmac } from 'node:crypto'
import { createServer, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type Socket } from 'node:net'

/**
 * Local stand-ins for the reminder channels' providers, on 127.0.0.1. Each checks what the real
 * service checks, from the providers' documentation, recomputing everything from the request it
 * received: Alibaba Cloud's V3 signature (ACS3-HMAC-SHA256), Tencent Cloud's TC3-HMAC-SHA256, and
 * WeCom's access_token. A request that fails the check is refused the way the provider refuses it.
 */

const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

abstract class FakeServer {
  private server: Server | null = null
  port = 0
  /** Paths answered never (a provider that takes the request and then hangs). */
  readonly hang = new Set<string>()
  /** Requests received, answered or not. */
  requests = 0
  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }
  protected abstract handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests++
      void bodyOf(req).then((body) => {
        if (!this.hang.has(new URL(req.url ?? '/', 'http://fake').pathname)) this.handle(req, body, res)
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    const addr = this.server.address()
    if (addr && typeof addr === 'object') this.port = addr.port
  }
  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }
}

const header = (req: IncomingMessage, name: string): string => {
  const v = req.headers[name]
  return Array.isArray(v) ? v.join(',') : (v ?? '')
}

/** RFC 3986 percent-encoding, as Alibaba Cloud's canonical query string requires (space %20, * %2A, ~ kept). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

export interface AliyunMessage {
  phoneNumbers: string
  signName: string
  templateCode: string
  templateParam: Record<string, string>
}

/**
 * Alibaba Cloud SMS (dysmsapi, SendSms), checking the V3 request signature as documented ("V3版本请求体&签名机制"):
 *   CanonicalRequest = method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedRequestPayload
 *   CanonicalQueryString: parameters sorted by name, names and values RFC 3986-encoded, joined by &;
 *   CanonicalHeaders: each signed header as lowercase name:trimmed value\n, sorted; host, content-type
 *   and every x-acs-* header present must be signed; x-acs-content-sha256 = hex SHA-256 of the body;
 *   StringToSign = "ACS3-HMAC-SHA256\n" + hex SHA-256(CanonicalRequest);
 *   Signature = hex HMAC-SHA256(AccessKeySecret, StringToSign);
 *   Authorization: ACS3-HMAC-SHA256 Credential=AccessKeyId,SignedHeaders=...,Signature=...
 * x-acs-date must be within 15 minutes and each x-acs-signature-nonce used once.
 */
export class FakeAliyunSms extends FakeServer {
  readonly keys = new Map<string, string>()
  readonly sent: AliyunMessage[] = []
  readonly refused: string[] = []
  private readonly nonces = new Set<string>()
  /** The Code answered instead of OK (a provider-side refusal). */
  answerCode: string | null = null

  constructor(accessKeyId: string, secret: string) {
    super()
    this.keys.set(accessKeyId, secret)
  }

  /** Null when the signature is right, else the error Code Alibaba Cloud answers. */
  verify(req: IncomingMessage, body: Buffer): string | null {
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(header(req, 'authorization'))
    if (!auth) return 'IncompleteSignature'
    const [, keyId = '', signedHeaders = '', signature] = auth
    const secret = this.keys.get(keyId)
    if (!secret) return 'InvalidAccessKeyId.NotFound'
    const signed = signedHeaders.split(';')
    const mustSign = Object.keys(req.headers).filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'))
    if (mustSign.some((h) => !signed.includes(h)) || [...signed].sort().join(';') !== signedHeaders) return 'IncompleteSignature'
    if (header(req, 'x-acs-content-sha256') !== sha256hex(body)) return 'SignatureDoesNotMatch'
    const date = Date.parse(header(req, 'x-acs-date'))
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000) return 'InvalidTimeStamp.Expired'
    const nonce = header(req, 'x-acs-signature-nonce')
    if (!nonce || this.nonces.has(nonce)) return 'SignatureNonceUsed'
    const url = new URL(req.url ?? '/', 'http://fake')
    const query = [...url.searchParams.entries()]
      .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
    const canonicalHeaders = signed.map((h) => `${h}:${header(req, h).trim()}\n`).join('')
    const canonical = [req.method, url.pathname, query, canonicalHeaders, signedHeaders, sha256hex(body)].join('\n')
    const expected = createHmac('sha256', secret)
      .update(`ACS3-HMAC-SHA256\n${sha256hex(canonical)}`)
      .digest('hex')
    if (expected !== signature) return 'SignatureDoesNotMatch'
    this.nonces.add(nonce)
    return null
  }

  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const problem = this.verify(req, body)
    if (problem) {
      this.refused.push(problem)
      return json(res, problem.startsWith('InvalidAccessKeyId') ? 404 : 400, {
        Code: problem,
        Message: 'refused by the fake',
        RequestId: 'fake',
      })
    }
    if (header(req, 'x-acs-action') !== 'SendSms' || header(req, 'x-acs-version') !== '2017-05-25')
      return json(res, 400, { Code: 'InvalidAction', RequestId: 'fake' })
    const q = new URL(req.url ?? '/', 'http://fake').searchParams
    this.sent.push({
      phoneNumbers: q.get('PhoneNumbers') ?? '',
      signName: q.get('SignName') ?? '',
      templateCode: q.get('TemplateCode') ?? '',
      templateParam: JSON.parse(q.get('TemplateParam') ?? '{}') as Record<string, string>,
    })
    if (this.answerCode) return json(res, 200, { Code: this.answerCode, Message: 'fake refusal', RequestId: 'fake' })
    json(res, 200, { Code: 'OK', Message: 'OK', BizId: `biz-${this.sent.length}`, RequestId: 'fake' })
  }
}

export interface TencentMessage {
  PhoneNumberSet: string[]
  SmsSdkAppId: string
  SignName: string
  TemplateId: string
  TemplateParamSet: string[]
}

/**
 * Tencent Cloud SMS (sms 2021-01-11, SendSms), checking TC3-HMAC-SHA256 as documented ("签名方法 v3"):
 *   CanonicalRequest = method \n / \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n hex SHA-256(payload)
 *   CanonicalHeaders: the signed headers (at least content-type and host) as lowercase name:value\n, in order;
 *   CredentialScope = Date/service/tc3_request, Date the UTC date of X-TC-Timestamp, service "sms";
 *   StringToSign = "TC3-HMAC-SHA256\n" + timestamp \n CredentialScope \n hex SHA-256(CanonicalRequest);
 *   SecretDate = HMAC("TC3"+SecretKey, Date), SecretService = HMAC(SecretDate, service),
 *   SecretSigning = HMAC(SecretService, "tc3_request"), Signature = hex HMAC(SecretSigning, StringToSign).
 * The timestamp must be within 5 minutes.
 */
export class FakeTencentSms extends FakeServer {
  readonly keys = new Map<string, string>()
  readonly sent: TencentMessage[] = []
  readonly refused: string[] = []
  answerCode: string | null = null

  constructor(secretId: string, secretKey: string) {
    super()
    this.keys.set(secretId, secretKey)
  }

  /** An agent that takes requests for the real host name to this fake (the SDK signs the host it is given). */
  agent(): Agent {
    const port = (): number => this.port
    return new (class extends Agent {
      override createConnection(): Socket {
        return connect(port(), '127.0.0.1')
      }
    })()
  }

  verify(req: IncomingMessage, body: Buffer): string | null {
    const auth =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([\w-]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        header(req, 'authorization'),
      )
    if (!auth) return 'AuthFailure.InvalidAuthorization'
    const [, secretId = '', date = '', service = '', signedHeaders = '', signature] = auth
    const secretKey = this.keys.get(secretId)
    if (!secretKey) return 'AuthFailure.SecretIdNotFound'
    const ts = Number(header(req, 'x-tc-timestamp'))
    if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > 300) return 'AuthFailure.SignatureExpire'
    if (new Date(ts * 1000).toISOString().slice(0, 10) !== date || service !== 'sms') return 'AuthFailure.InvalidAuthorization'
    const signed = signedHeaders.split(';')
    if (!signed.includes('content-type') || !signed.includes('host')) return 'AuthFailure.InvalidAuthorization'
    const url = new URL(req.url ?? '/', 'http://fake')
    const canonicalHeaders = signed.map((h) => `${h}:${header(req, h).trim().toLowerCase()}\n`).join('')
    const canonical = [req.method, url.pathname, url.search.slice(1), canonicalHeaders, signedHeaders, sha256hex(body)].join('\n')
    const stringToSign = ['TC3-HMAC-SHA256', String(ts), `${date}/${service}/tc3_request`, sha256hex(canonical)].join('\n')
    const kSigning = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request')
    if (createHmac('sha256', kSigning).update(stringToSign).digest('hex') !== signature) return 'AuthFailure.SignatureFailure'
    return null
  }

  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const problem = this.verify(req, body)
    if (problem) {
      this.refused.push(problem)
      return json(res, 200, { Response: { Error: { Code: problem, Message: 'refused by the fake' }, RequestId: 'fake' } })
    }
    if (header(req, 'x-tc-action') !== 'SendSms' || header(req, 'x-tc-version') !== '2021-01-11')
      return json(res, 200, { Response: { Error: { Code: 'InvalidAction', Message: '' }, RequestId: 'fake' } })
    const msg = JSON.parse(body.toString('utf8')) as TencentMessage
    this.sent.push(msg)
    json(res, 200, {
      Response: {
        SendStatusSet: msg.PhoneNumberSet.map((p) => ({
          SerialNo: 'fake',
          PhoneNumber: p,
          Fee: 1,
          SessionContext: '',
          Code: this.answerCode ?? 'Ok',
          Message: this.answerCode ? 'fake refusal' : 'send success',
          IsoCode: 'CN',
        })),
        RequestId: 'fake',
      },
    })
  }
}

export interface WecomMessage {
  touser: string
  agentid: number
  content: string
}

/**
 * 企业微信 / 政务微信 server API: gettoken with the corp id and the application's secret (a token
 * valid 7200 s), message/send and user/getuserid with that token; an unknown token answers 40014,
 * an expired one 42001 (expire() makes the current one so).
 */
export class FakeWecom extends FakeServer {
  readonly sent: WecomMessage[] = []
  tokensIssued = 0
  /** mobile → userid known to the directory. */
  readonly directory = new Map<string, string>()
  lookups = 0
  private valid = new Set<string>()
  private expired = new Set<string>()

  constructor(
    private readonly corpId: string,
    private readonly secret: string,
    private readonly agentId: number,
  ) {
    super()
  }

  expire(): void {
    for (const t of this.valid) this.expired.add(t)
    this.valid.clear()
  }

  private tokenProblem(url: URL): number {
    const t = url.searchParams.get('access_token') ?? ''
    if (this.valid.has(t)) return 0
    return this.expired.has(t) ? 42001 : 40014
  }

  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake')
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== this.corpId) return json(res, 200, { errcode: 40013, errmsg: 'invalid corpid' })
      if (url.searchParams.get('corpsecret') !== this.secret) return json(res, 200, { errcode: 40001, errmsg: 'invalid credential' })
      const token = `token-${++this.tokensIssued}-${Math.random().toString(36).slice(2)}`
      this.valid.add(token)
      return json(res, 200, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 })
    }
    const problem = this.tokenProblem(url)
    if (problem) return json(res, 200, { errcode: problem, errmsg: 'access_token invalid or expired' })
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>
    if (url.pathname === '/cgi-bin/user/getuserid') {
      this.lookups++
      const userid = this.directory.get(String(input.mobile))
      return json(res, 200, userid ? { errcode: 0, errmsg: 'ok', userid } : { errcode: 46004, errmsg: 'user no exist' })
    }
    if (url.pathname === '/cgi-bin/message/send') {
      if (input.agentid !== this.agentId) return json(res, 200, { errcode: 40056, errmsg: 'invalid agentid' })
      const touser = String(input.touser)
      if (![...this.directory.values()].includes(touser))
        return json(res, 200, { errcode: 81013, errmsg: 'user & party & tag all invalid' })
      this.sent.push({ touser, agentid: input.agentid, content: String((input.text as { content?: unknown } | undefined)?.content) })
      return json(res, 200, { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `msg-${this.sent.length}` })
    }
    json(res, 404, { errcode: 404, errmsg: 'not found' })
  }
}
