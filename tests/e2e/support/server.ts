import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The production server exactly as `npm start` runs it (built files, SQLite under DATA_DIR),
 * which a test can stop and start again, or restart on another build (a new deployment).
 */
export class AppServer {
  private child: ChildProcess | null = null
  readonly dataDir = mkdtempSync(join(tmpdir(), 'suixing-e2e-'))

  constructor(
    readonly port: number,
    private clientDir = 'dist/client',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(clientDir = this.clientDir): Promise<void> {
    this.clientDir = clientDir
    this.child = spawn(process.execPath, ['dist/server/server/main.js'], {
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        CLIENT_DIR: clientDir,
        DEMO: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('server did not start')
  }

  async stop(): Promise<void> {
    const child = this.child
    if (!child) return
    this.child = null
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  }
}
