import { resolve } from 'node:path'
import { readFileSync, writeFileSync } from 'node:fs'
import { backup, restore } from './backup.ts'
import { complianceSheet } from './compliance-sheet.ts'

/**
 * `npm run backup [-- <folder>]` and `npm run restore -- <backup folder>`, with DATA_DIR and
 * DATABASE_URL as the server; `npm run compliance-sheet [-- <file.md>]` with the server's environment.
 */
const [command, arg] = process.argv.slice(2)
const dataDir = resolve(process.env.DATA_DIR ?? './data')
const databaseUrl = process.env.DATABASE_URL || undefined

try {
  if (command === 'backup') {
    const { dir, manifest } = await backup({ dataDir, databaseUrl, outDir: arg })
    console.log(
      `备份完成 backup written: ${dir}\n  change ${manifest.seq}, ${manifest.photos} photos, ${(manifest.bytes / 1e6).toFixed(1)} MB; the copy was opened and checked.`,
    )
  } else if (command === 'restore' && arg) {
    const r = await restore({ dataDir, databaseUrl, from: arg })
    console.log(`恢复完成 restored from ${arg} (change ${r.seq}).`)
    if (r.keptAside) console.log(`  The database it replaced is kept in ${r.keptAside}.`)
    console.log(
      `  New database generation ${r.epoch} (was ${r.previous}): every phone re-pulls at its next sync and sends back what its person wrote after the backup.`,
    )
  } else if (command === 'compliance-sheet') {
    const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }
    const sheet = complianceSheet({ env: process.env, version: pkg.version })
    if (arg) {
      writeFileSync(arg, `${sheet}\n`)
      console.log(`备案与等保资料表已写入 compliance sheet written: ${resolve(arg)}`)
    } else console.log(sheet)
  } else {
    console.error('usage: npm run backup [-- <folder>]  |  npm run restore -- <backup folder>  |  npm run compliance-sheet [-- <file.md>]')
    process.exitCode = 2
  }
} catch (err) {
  console.error(`失败 failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
}
