import { resolve } from 'node:path'
import { backup, restore } from './backup.ts'

/** `npm run backup [-- <folder>]` and `npm run restore -- <backup folder>`, with DATA_DIR and DATABASE_URL as the server. */
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
  } else {
    console.error('usage: npm run backup [-- <folder>]  |  npm run restore -- <backup folder>')
    process.exitCode = 2
  }
} catch (err) {
  console.error(`失败 failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
}
