// `npm run test:e2e`: build the production app, then run Playwright with Debian's Chromium.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium'
if (!existsSync(chrome)) {
  console.error(`Chromium not found at ${chrome}. Install it with: apt-get install -y chromium (or set CHROME_PATH).`)
  process.exit(1)
}
execSync('npm run build', { stdio: 'inherit' })
execSync(`npx playwright test ${process.argv.slice(2).join(' ')}`, { stdio: 'inherit' })
