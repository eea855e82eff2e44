// `npm run bench`: build the production app, then measure against budgets; results go to docs/benchmarks.md.
import { execSync } from 'node:child_process'

// BENCH_ONLY=push measures only the push throughput, which needs no build; BENCH_ONLY=pull only the 100,000-row pull in Chromium.
if (process.env.BENCH_ONLY !== 'push') execSync('npm run build', { stdio: 'inherit' })
execSync('npx tsx tests/bench/run.ts', { stdio: 'inherit' })
