import { describe, expect, it } from 'vitest'
import { runSimulation } from './simulation.ts'

// A short run on every `npm test`; `npm run soak` runs thousands of operations. SIM_SEED replays one.
const seed = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31))

describe('multi-device fault simulation', () => {
  it(`converges with every write delivered exactly once (seed ${seed})`, async () => {
    const report = await runSimulation({ seed, devices: 4, operations: Number(process.env.SIM_OPERATIONS ?? 250) })
    if (report.problems.length) console.error(`simulation failed; replay with SIM_SEED=${seed}`, report)
    expect(report.problems).toEqual([])
    expect(report.mutations).toBeGreaterThan(0)
    expect(report.faults.droppedResponses + report.faults.droppedRequests + report.faults.duplicated).toBeGreaterThan(0)
  }, 120_000)
})
