import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { newId } from '../../src/core/ids.ts'
import { MUTATION_VERSION } from '../../src/core/sync/protocol.ts'

export interface LoadResult {
  requestsPerSec: number
  p50: number
  p99: number
  errors: number
  non2xx: number
  /** SQL statements per answered request (one mutation each), counted in the server; push only. */
  statementsPerMutation?: number
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 10

/** Start tests/bench/serve.ts in a child process, load it from here, stop it. */
async function loadServer(kind: 'bare' | 'bare-pg' | 'push', body: () => string, pgUrl?: string): Promise<LoadResult> {
  const { TEST_DATABASE_URL: _unused, ...rest } = process.env
  const env = pgUrl ? { ...rest, TEST_DATABASE_URL: pgUrl } : rest
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/serve.ts', kind], { stdio: ['ignore', 'pipe', 'inherit'], env })
  const lines = createInterface({ input: child.stdout })
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve)
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
    })
  try {
    const { url, cookie } = JSON.parse(await nextLine()) as { url: string; cookie: string }
    const r = await autocannon({
      url,
      method: 'POST',
      connections: CONNECTIONS,
      duration: DURATION,
      headers: { 'content-type': 'application/json', cookie },
      requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
    })
    const result: LoadResult = {
      requestsPerSec: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors,
      non2xx: r.non2xx,
    }
    if (kind === 'push') {
      const stats = nextLine()
      child.kill('SIGTERM')
      const { statements } = JSON.parse(await stats) as { statements: number }
      result.statementsPerMutation = statements / Math.max(1, r['2xx'])
    }
    return result
  } finally {
    child.kill('SIGTERM')
  }
}

const studyMutation = (clientId: string) => () =>
  JSON.stringify({
    clientId,
    mutations: [
      {
        id: newId(),
        table: 'study_records',
        op: 'upsert',
        rowId: newId(),
        clientTime: new Date().toISOString(),
        v: MUTATION_VERSION,
        fields: {
          kind: 'self_study',
          title: '学习党章',
          date: '2026-11-20',
          minutes: 45,
          notes: '',
          sourceUrl: '',
          createdAt: new Date().toISOString(),
        },
      },
    ],
  })

export interface PushPair {
  bare: LoadResult
  push: LoadResult
}

/**
 * Baseline and push route side by side, `pairs` times in turn (one study-record mutation per
 * request through the real route: session auth, schema validation, idempotency record,
 * synchronous=FULL): a host that is busier during one run than the next shows in the spread
 * of the pairs, and the median of their ratios is what is judged.
 */
export async function measurePushThroughput(pgUrl?: string, pairs = Number(process.env.BENCH_PUSH_PAIRS ?? 5)): Promise<PushPair[]> {
  const out: PushPair[] = []
  for (let i = 0; i < pairs; i++) {
    const bare = await loadServer(pgUrl ? 'bare-pg' : 'bare', () => JSON.stringify({ title: '学习党章', minutes: 45 }), pgUrl)
    const push = await loadServer('push', studyMutation(newId()), pgUrl)
    out.push({ bare, push })
  }
  return out
}
