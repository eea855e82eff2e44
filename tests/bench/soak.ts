// `npm run soak`: the long multi-device fault simulation over several seeds; results go to docs/benchmarks.md.
import 'fake-indexeddb/auto'
import { runSimulation, type SimulationReport } from '../integration/simulation/simulation.ts'
import { machineLine } from './machine.ts'
import { prependSection, stamp } from './report.ts'

const SEEDS = Number(process.env.SOAK_SEEDS ?? 5)
const OPERATIONS = Number(process.env.SOAK_OPERATIONS ?? 3000)
const first = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31))

const reports: SimulationReport[] = []
for (let i = 0; i < SEEDS; i++) {
  const seed = first + i
  const r = await runSimulation({ seed, devices: 5, operations: OPERATIONS })
  console.log(`seed ${seed}: ${r.mutations} mutations, ${r.applied} applied, ${r.rejected} rejected, ${r.kills} kills, ${r.restarts} restarts, ${r.problems.length} problems, ${r.ms} ms`)
  for (const p of r.problems.slice(0, 10)) console.log(`  ${p}`)
  reports.push(r)
}

const rows = reports
  .map((r) => `| ${r.seed} | ${r.operations} | ${r.mutations} (${r.applied} applied, ${r.rejected} rejected visibly) | ${r.faults.requests} requests: ${r.faults.droppedRequests} dropped, ${r.faults.droppedResponses} answers lost after commit, ${r.faults.duplicated} duplicated, ${r.faults.delayed} delayed | ${r.kills} / ${r.restarts} | ${(r.ms / 1000).toFixed(1)} s | ${r.problems.length === 0 ? '✅ converged, each write once' : `❌ ${r.problems.length} problems`} |`)
  .join('\n')
prependSection(`## ${stamp()}: npm run soak

Machine: ${machineLine()}. 5 devices (3 of one member, 1 of a second member, 1 branch secretary), the real
client engine over fake-indexeddb, the real server on SQLite, a fault-injecting proxy on 127.0.0.1.

| seed | operations | mutations | faults | device kills / server restarts | time | result |
|---|---|---|---|---|---|---|
${rows}
`)
if (reports.some((r) => r.problems.length)) process.exit(1)
