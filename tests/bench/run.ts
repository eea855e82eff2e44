import { prependSection, stamp } from './report.ts'
import { machineLine } from './machine.ts'
import { measureFirstLoad } from './first-load.ts'
import { measurePushThroughput, type LoadResult } from './push-throughput.ts'

const BUDGET_FIRST_LOAD = 95 * 1024
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`
const row = (r: LoadResult) => `${r.requestsPerSec.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}`

const date = stamp()
console.log(`bench on ${machineLine()}`)

const first = await measureFirstLoad(Number(process.env.BENCH_PORT ?? 4680))
console.log(`first load: ${kb(first.gzipBytes)} gzip, ${kb(first.transferredBytes)} transferred`)
const { bare, push } = await measurePushThroughput()
const ratio = push.requestsPerSec / bare.requestsPerSec
console.log(`bare insert: ${row(bare)}`)
console.log(`push route:  ${row(push)} (${(ratio * 100).toFixed(0)}% of bare)`)

const verdict = (ok: boolean) => (ok ? '✅ within budget' : '❌ over budget')
const section = `## ${date}: npm run bench

Machine: ${machineLine()}

| what | result | budget | verdict |
|---|---|---|---|
| first-load JS+CSS of the home screen (signed-in member, service worker and cache off), gzip | ${kb(first.gzipBytes)} (${first.files.length} files; ${kb(first.transferredBytes)} actually transferred, server chose the encoding) | ≤ 95 kB | ${verdict(first.gzipBytes <= BUDGET_FIRST_LOAD)} |
| baseline: bare Fastify route, one better-sqlite3 insert, WAL + synchronous=FULL | ${row(bare)} | — | — |
| push route, one study-record mutation per request (session auth + schema validation + idempotency record + synchronous=FULL) | ${row(push)} | ≥ 75% of baseline, p99 < 50 ms | ${(ratio * 100).toFixed(0)}% of baseline: ${verdict(ratio >= 0.75 && push.p99 < 50)} |

First-load files: ${first.files.map((f) => `\`${f.url}\` ${kb(f.gzip)}`).join(', ')}.
`

prependSection(section)
if (first.gzipBytes > BUDGET_FIRST_LOAD) {
  console.error('first-load budget exceeded')
  process.exit(1)
}
