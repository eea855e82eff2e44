// `npm run bench`: build the production app, then measure against budgets; results go to docs/benchmarks.md.
import { execSync } from 'node:child_process'

execSync('npm run build', { stdio: 'inherit' })
execSync('npx tsx tests/bench/run.ts', { stdio: 'inherit' })
