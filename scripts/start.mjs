// `npm start`: build what is missing or stale, then serve the PWA and the API on one port.
import { execSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = join(dir, e.name)
    return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)

const sources = Math.max(newest('src'), newest('public'), statSync('index.html').mtimeMs, statSync('vite.config.ts').mtimeMs)
const outputs = ['dist/client/index.html', 'dist/client/sw.js', 'dist/server/server/main.js']
const stale = outputs.some((f) => !existsSync(f) || statSync(f).mtimeMs < sources)
if (stale) {
  console.log('Building the app (first start or sources changed)…')
  execSync('npm run build', { stdio: 'inherit' })
}

const child = spawn(process.execPath, ['dist/server/server/main.js'], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
