import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'

/**
 * Restores are made detectable for certain. The database's epoch is in every cursor the server
 * hands out; restoring a backup gives the database a NEW epoch (and remembers the old ones), so
 * every phone's cursor resets and the phone can tell that the server lost data (docs/sync.md,
 * "Restore"). Two ways lead here: `npm run restore`, and a check at every start that compares the
 * database with the highest change number this server has told anyone (kept outside the
 * database, in DATA_DIR), for a database put back by hand.
 */
export interface PreviousEpoch {
  epoch: string
  /** The change counter of the restored database when it was restored (the backup's head). */
  seq: number
  at: string
}

const PREVIOUS = 'previous_epochs'

export async function previousEpochs(db: Kysely<Database>): Promise<PreviousEpoch[]> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', PREVIOUS).executeTakeFirst()
  return row ? (JSON.parse(row.value) as PreviousEpoch[]) : []
}

/** Give the database a new epoch; the old one is kept as an earlier generation. Returns the new epoch. */
export async function markRestored(db: Kysely<Database>): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('meta').select('value').where('key', '=', 'epoch').executeTakeFirstOrThrow()
    const counter = await trx.selectFrom('counters').select('value').where('name', '=', 'seq').executeTakeFirstOrThrow()
    const list = [...(await previousEpochs(trx)), { epoch: current.value, seq: Number(counter.value), at: new Date().toISOString() }]
    const epoch = randomUUID()
    await trx.updateTable('meta').set({ value: epoch }).where('key', '=', 'epoch').execute()
    const value = JSON.stringify(list.slice(-50))
    const updated = await trx.updateTable('meta').set({ value }).where('key', '=', PREVIOUS).executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) await trx.insertInto('meta').values({ key: PREVIOUS, value }).execute()
    return epoch
  })
}

interface Mark {
  epoch: string
  seq: number
}

/**
 * The highest change number this process has handed out in a cursor, per epoch, kept in a file
 * beside the data (written at most once a second, and when the server stops). If the database
 * at start is behind it, the database was put back from a backup.
 */
export class HighWater {
  private mark: Mark | null
  private dirty = false
  private timer: NodeJS.Timeout | null = null
  private readonly file: string

  constructor(dataDir: string) {
    this.file = join(dataDir, 'issued-high-water.json')
    this.mark = HighWater.read(this.file)
  }

  private static read(file: string): Mark | null {
    if (!existsSync(file)) return null
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<Mark>
      return typeof m.epoch === 'string' && typeof m.seq === 'number' ? { epoch: m.epoch, seq: m.seq } : null
    } catch {
      return null
    }
  }

  /** Was a database with this epoch and counter handed out further than it reaches now? */
  isBehind(epoch: string, seq: number): boolean {
    return this.mark !== null && this.mark.epoch === epoch && this.mark.seq > seq
  }

  /** A cursor up to `seq` of `epoch` is about to be sent. */
  note(epoch: string, seq: number): void {
    if (this.mark && this.mark.epoch === epoch && this.mark.seq >= seq) return
    this.mark = { epoch, seq }
    this.dirty = true
    this.timer ??= setTimeout(() => this.flush(), 1000)
    this.timer.unref()
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (!this.dirty || !this.mark) return
    this.dirty = false
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(this.mark))
      renameSync(`${this.file}.tmp`, this.file)
    } catch {
      // A full or read-only disk: the restore command still bumps the epoch.
      this.dirty = true
    }
  }
}
