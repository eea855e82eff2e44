import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createPgDatabase, dropPgDatabase, startServer, type TestServer } from './harness.ts'

/**
 * A restart must not wait for keep-alive connections: a request in flight when close begins is
 * answered (with `Connection: close`), a request that arrives during close gets 503 with
 * `Retry-After`, and the whole close is bounded (docs/sync.md, "Transport and errors").
 */

let server: TestServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

/** An HTTP/1.1 connection on which raw bytes are written and whole responses read back. */
function rawConnection(url: string): Promise<{ socket: Socket; responses: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    let received = ''
    const socket = connect(Number(port), hostname, () => resolve({ socket, responses: () => received, closed }))
    const closed = new Promise<void>((done) => socket.on('close', () => done()))
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => (received += d))
    socket.on('error', reject)
  })
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('shutdown', () => {
  it('answers a keep-alive request in flight, refuses new ones with 503 and Retry-After, and closes within 2 s', async () => {
    server = await startServer()
    const { url, app } = server
    const host = new URL(url).host
    // A keep-alive connection that has already served a request (so the client holds it open).
    const busy = await rawConnection(url)
    busy.socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`)
    await until(() => busy.responses().includes('"status":"ok"'))
    // Its next request is in flight: headers and half of the body are in when close begins.
    const body = JSON.stringify({ phone: '13800009999', password: 'not-the-password' })
    busy.socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    )
    // A second connection whose request has begun but whose headers are not all in yet.
    const late = await rawConnection(url)
    late.socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\n`)
    await sleep(100)

    const started = Date.now()
    const closing = app.close()
    await sleep(200)
    late.socket.write('\r\n')
    busy.socket.write(body.slice(10))
    await closing
    const closeMs = Date.now() - started
    await Promise.all([busy.closed, late.closed])

    const answer = busy.responses().split('HTTP/1.1 ').at(-1) ?? ''
    expect(answer).toMatch(/^401 /)
    expect(answer.toLowerCase()).toContain('connection: close')
    expect(answer).toContain('invalid_credentials')
    const refused = late.responses()
    expect(refused).toMatch(/^HTTP\/1.1 503 /)
    expect(refused.toLowerCase()).toMatch(/retry-after: \d+/)
    expect(refused).toContain('"code":"unavailable"')
    expect(refused).toContain('服务器正在重启')
    expect(closeMs).toBeLessThan(2000)
    // Reopen so that afterEach can close normally.
    await server.restart()
  })

  it('bounds close even when a request never finishes', async () => {
    server = await startServer()
    const { url, app } = server
    const host = new URL(url).host
    const stuck = await rawConnection(url)
    // A body that never arrives: the request stays in flight for ever.
    stuck.socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`)
    await sleep(100)
    const started = Date.now()
    await app.close()
    expect(Date.now() - started).toBeLessThan(3000)
    await stuck.closed
    await server.restart()
  })

  it('restarts quickly while a keep-alive client keeps its connection open', async () => {
    server = await startServer()
    const idle = await rawConnection(server.url)
    idle.socket.write(`GET /api/health HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\n\r\n`)
    await until(() => idle.responses().includes('"status":"ok"'))
    const started = Date.now()
    await server.restart()
    expect(Date.now() - started).toBeLessThan(2000)
    const res = await fetch(`${server.url}/api/health`)
    expect(res.status).toBe(200)
  })

  it('a SIGTERM under load: the process answers what it has, refuses the rest and exits within 2 s', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const addr = probe.address()
        probe.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0))
      })
    })
    const dataDir = mkdtempSync(join(tmpdir(), 'suixing-sigterm-'))
    const databaseUrl = process.env.TEST_DATABASE_URL ? await createPgDatabase() : undefined
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CLIENT_DIR: join(dataDir, 'none'),
      REMINDERS: '0',
      LOG_LEVEL: 'warn',
    }
    if (databaseUrl) env.DATABASE_URL = databaseUrl
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const url = `http://127.0.0.1:${port}`
      let up = false
      child.stdout.on('data', (d: Buffer) => (up ||= d.toString().includes('running at')))
      await until(() => up, 25_000)
      // Load: keep-alive clients asking again and again, and one request in flight at the signal.
      let stop = false
      const statuses: number[] = []
      const load = Array.from({ length: 6 }, async () => {
        while (!stop) {
          try {
            statuses.push((await fetch(`${url}/api/health`)).status)
          } catch {
            return // the server is gone: refused or dropped, never hanging
          }
        }
      })
      const busy = await rawConnection(url)
      const body = JSON.stringify({ phone: '13800009999', password: 'not-the-password' })
      busy.socket.write(
        `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      )
      await sleep(300)
      const started = Date.now()
      child.kill('SIGTERM')
      await sleep(100)
      busy.socket.write(body.slice(10))
      expect(await exited).toBe(0)
      const exitMs = Date.now() - started
      stop = true
      await Promise.all(load)
      expect(busy.responses()).toMatch(/^HTTP\/1.1 401 /)
      expect(statuses.length).toBeGreaterThan(0)
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([])
      expect(exitMs).toBeLessThan(2000)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
      if (databaseUrl) await dropPgDatabase(databaseUrl)
    }
  }, 60_000)
})
