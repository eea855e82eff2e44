import { describe, expect, it } from 'vitest'
import { ApiError, createHttpClient, NetworkError, type FetchFn } from './http.ts'

const json =
  (status: number, body: unknown): FetchFn =>
  () =>
    Promise.resolve(new Response(JSON.stringify(body), { status }))

describe('HTTP client', () => {
  it('gives up on a request that never answers and reports a network failure', async () => {
    const hanging: FetchFn = (_i, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))
    await expect(createHttpClient('', hanging, 50).get('/api/health')).rejects.toBeInstanceOf(NetworkError)
  })

  it("turns the error shape into an ApiError with the server's Chinese message", async () => {
    const err = await createHttpClient('', json(401, { error: { code: 'unauthorized', message: '登录已失效，请重新登录' } }))
      .get('/x')
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).message).toBe('登录已失效，请重新登录')
  })

  it("treats a proxy's HTML page or a 5xx without our shape as no answer", async () => {
    const html: FetchFn = () => Promise.resolve(new Response('<html>502</html>', { status: 502 }))
    await expect(createHttpClient('', html).get('/x')).rejects.toBeInstanceOf(NetworkError)
    await expect(createHttpClient('', json(503, { nope: 1 })).get('/x')).rejects.toBeInstanceOf(NetworkError)
  })

  it('sends every POST as JSON, a body-less one as {}, and a photo chunk as binary: the server refuses anything else (CSRF)', async () => {
    const sent: { method: string; type: string | null; body: unknown }[] = []
    const record: FetchFn = (_i, init) => {
      sent.push({ method: init?.method ?? '', type: new Headers(init?.headers).get('content-type'), body: init?.body })
      return Promise.resolve(new Response('{}', { status: 200 }))
    }
    const http = createHttpClient('', record)
    await http.post('/api/auth/logout')
    await http.post('/api/me/push/remove', { endpoint: 'x' })
    const chunk = new Blob([new Uint8Array(3)])
    await http.put('/api/photos/x', chunk)
    await http.get('/api/health')
    expect(sent).toEqual([
      { method: 'POST', type: 'application/json', body: '{}' },
      { method: 'POST', type: 'application/json', body: '{"endpoint":"x"}' },
      { method: 'PUT', type: 'application/octet-stream', body: chunk },
      { method: 'GET', type: null, body: undefined },
    ])
  })
})
