import { describe, expect, it } from 'vitest'
import Fastify, { type FastifyInstance } from 'fastify'
import { registerErrorHandling } from './errors.ts'
import { CROSS_ORIGIN_MESSAGE, refuseCrossOrigin } from './same-origin.ts'

/** The origin check and content types on a bare server (tests/integration/authorization.test.ts runs them over every route). */
async function appWith(trustProxy: boolean): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy })
  registerErrorHandling(app)
  refuseCrossOrigin(app)
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  app.post('/api/x', async () => ({ ok: true }))
  app.get('/api/x', async () => ({ ok: true }))
  app.put('/api/photos/:id', async () => ({ ok: true }))
  await app.ready()
  return app
}

const post = (app: FastifyInstance, headers: Record<string, string>, payload = '{}') =>
  app.inject({ method: 'POST', url: '/api/x', headers: { 'content-type': 'application/json', ...headers }, payload })

describe("the app's own origin", () => {
  it('is the Host the request was sent to, with its port; anything else is refused', async () => {
    const app = await appWith(false)
    expect((await post(app, { host: 'app.example.org', origin: 'https://app.example.org' })).statusCode).toBe(200)
    expect((await post(app, { host: 'localhost:8080', origin: 'http://localhost:8080' })).statusCode).toBe(200)
    expect((await post(app, { host: 'APP.example.org', origin: 'https://app.example.org' })).statusCode).toBe(200)
    expect((await post(app, { host: 'app.example.org:443', origin: 'https://app.example.org' })).statusCode).toBe(200)
    for (const origin of [
      'https://evil.example.org',
      'https://app.example.org.evil.example',
      'https://example.org',
      'https://app.example.org:8443',
      'null',
      'app.example.org',
      'https://app.example.org/',
      'ftp://app.example.org',
    ]) {
      const res = await post(app, { host: 'app.example.org', origin })
      expect(res.statusCode, origin).toBe(403)
      expect(res.json()).toEqual({ error: { code: 'forbidden', message: CROSS_ORIGIN_MESSAGE } })
    }
    await app.close()
  })

  it("without TRUST_PROXY, X-Forwarded-Host and -Proto are ignored: a forged one does not make another origin the app's", async () => {
    const app = await appWith(false)
    const forwarded = { 'x-forwarded-host': 'evil.example.org', 'x-forwarded-proto': 'https' }
    expect((await post(app, { host: 'app.example.org', origin: 'https://evil.example.org', ...forwarded })).statusCode).toBe(403)
    expect((await post(app, { host: 'app.example.org', origin: 'http://app.example.org', ...forwarded })).statusCode).toBe(200)
    await app.close()
  })

  it("with TRUST_PROXY, the proxy's X-Forwarded-Host and -Proto name it, and the scheme must match", async () => {
    const app = await appWith(true)
    const behind = { host: '127.0.0.1:8080', 'x-forwarded-host': 'app.example.org', 'x-forwarded-proto': 'https' }
    expect((await post(app, { ...behind, origin: 'https://app.example.org' })).statusCode).toBe(200)
    expect((await post(app, { ...behind, origin: 'http://app.example.org' })).statusCode).toBe(403)
    expect((await post(app, { ...behind, origin: 'http://127.0.0.1:8080' })).statusCode).toBe(403)
    expect((await post(app, { ...behind, origin: 'https://evil.example.org' })).statusCode).toBe(403)
    await app.close()
  })

  it('Sec-Fetch-Site decides when there is no Origin; a client sending neither is not a browser and passes', async () => {
    const app = await appWith(false)
    for (const site of ['same-origin', 'none'])
      expect((await post(app, { host: 'app.example.org', 'sec-fetch-site': site })).statusCode, site).toBe(200)
    for (const site of ['same-site', 'cross-site', 'anything'])
      expect((await post(app, { host: 'app.example.org', 'sec-fetch-site': site })).statusCode, site).toBe(403)
    // A browser that says both: either one speaking of elsewhere is enough.
    expect(
      (await post(app, { host: 'app.example.org', origin: 'https://app.example.org', 'sec-fetch-site': 'same-site' })).statusCode,
    ).toBe(403)
    expect((await post(app, { host: 'app.example.org' })).statusCode).toBe(200)
    await app.close()
  })

  it('reads are never refused for where they come from', async () => {
    const app = await appWith(false)
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/x',
          headers: { host: 'app.example.org', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        })
      ).statusCode,
    ).toBe(200)
    await app.close()
  })
})

describe('content types', () => {
  it('state-changing requests carry JSON, parameters and case aside', async () => {
    const app = await appWith(false)
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON'])
      expect((await post(app, { 'content-type': type })).statusCode, type).toBe(200)
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/jsonx',
    ]) {
      const res = await post(app, { 'content-type': type })
      expect(res.statusCode, type).toBe(415)
      expect(res.json<{ error: { code: string } }>().error.code).toBe('bad_request')
    }
    const bare = await app.inject({ method: 'POST', url: '/api/x' })
    expect(bare.statusCode).toBe(415)
    await app.close()
  })

  it('the photo upload takes exactly its declared binary type, and the origin check still applies', async () => {
    const app = await appWith(false)
    const put = (headers: Record<string, string>) =>
      app.inject({ method: 'PUT', url: '/api/photos/x', headers: { host: 'app.example.org', ...headers }, payload: Buffer.from([1, 2, 3]) })
    expect((await put({ 'content-type': 'application/octet-stream' })).statusCode).toBe(200)
    expect((await put({ 'content-type': 'application/octet-stream', origin: 'https://app.example.org' })).statusCode).toBe(200)
    expect((await put({ 'content-type': 'application/octet-stream', origin: 'https://evil.example.org' })).statusCode).toBe(403)
    for (const type of ['application/json', 'text/plain', 'image/jpeg'])
      expect((await put({ 'content-type': type })).statusCode, type).toBe(415)
    await app.close()
  })
})
