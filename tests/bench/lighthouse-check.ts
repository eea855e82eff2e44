// `npm run check:lighthouse` (in .ci/run): Lighthouse accessibility and best-practices must be 100
// on the login page and the signed-in home screen. Timing scores are reported by `npm run bench`, not asserted.
import { AppServer } from '../e2e/support/server.ts'
import { measureLighthouse } from './lighthouse.ts'

const server = new AppServer(Number(process.env.LH_PORT ?? 4695))
await server.start()
let failed = false
try {
  for (const r of await measureLighthouse(server)) {
    console.log(
      `${r.page}: accessibility ${r.accessibility}, best practices ${r.bestPractices} (performance ${r.performance}, SEO ${r.seo})`,
    )
    if (r.accessibility < 100 || r.bestPractices < 100) {
      failed = true
      console.error(`  failing audits: ${r.failing.join(', ')}`)
    }
  }
} finally {
  await server.stop()
}
process.exit(failed ? 1 : 0)
