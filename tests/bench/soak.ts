// `npm run soak`: the long multi-device fault simulation over several seeds; results go to docs/benchmarks.md.
// With DATABASE_URL (a PostgreSQL server URL whose role may create databases) every seed runs on a
// fresh PostgreSQL database instead of SQLite.
import 'fake-indexeddb/auto'
import { machineLine } from './machine.ts'
import { prependSection, stamp } from './report.ts'

if (process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.DATABASE_URL
// The harness reads TEST_DATABASE_URL when it loads.
const { runSimulation } = await import('../integration/simulation/simulation.ts')
type SimulationReport = Awaited<ReturnType<typeof runSimulation>>

const SEEDS = Number(process.env.SOAK_SEEDS ?? 5)
const OPERATIONS = Number(process.env.SOAK_OPERATIONS ?? 3000)
const first = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31))
const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'

const reports: SimulationReport[] = []
for (let i = 0; i < SEEDS; i++) {
  const seed = first + i
  const r = await runSimulation({ seed, devices: 5, operations: OPERATIONS })
  console.log(
    `seed ${seed} (${database}): ${r.mutations} mutations, ${r.applied} applied, ${r.rejected} rejected, ${r.kills} kills, ${r.restarts} restarts, ${r.restores} restores, ${r.scopeChanges} scope changes, ${r.invariantChecks} invariant checks, ${r.problems.length} problems, ${r.ms} ms`,
  )
  for (const p of r.problems.slice(0, 10)) console.log(`  ${p}`)
  reports.push(r)
}

const rows = reports
  .map(
    (r) =>
      `| ${r.seed} | ${r.operations} | ${r.mutations} (${r.applied} applied, ${r.rejected} rejected visibly) | ${r.faults.requests} requests: ${r.faults.droppedRequests} dropped, ${r.faults.droppedResponses} answers lost after commit, ${r.faults.duplicated} duplicated, ${r.faults.delayed} delayed | ${r.kills} / ${r.restarts} / ${r.backups} / ${r.restores} | ${r.scopeChanges} / ${r.invariantChecks} | ${(r.ms / 1000).toFixed(1)} s | ${r.problems.length === 0 ? '✅ converged, each write once' : `❌ ${r.problems.length} problems`} |`,
  )
  .join('\n')
prependSection(`## ${stamp()}: npm run soak (${database})

Machine: ${machineLine()}. 5 devices (3 of one member, 1 of a second member, 1 branch secretary), the real
client engine over fake-indexeddb, the real server on ${database}, a fault-injecting proxy on 127.0.0.1.
Random events include backups taken mid-run and restored later (the phones refill the server), and
changes of who may see what (household links, expected people, companions, moves, roles); the
fresh-pull invariant is checked after completed pulls mid-run and on every device at the end.

| seed | operations | mutations | faults | device kills / server restarts / backups / restores | scope changes / invariant checks | time | result |
|---|---|---|---|---|---|---|---|
${rows}
`)
if (reports.some((r) => r.problems.length)) process.exit(1)
