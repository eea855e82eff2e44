import type { Api } from '../../../src/client/api/endpoints.ts'
import { SYNCED_STORES, type AccountDb } from '../../../src/client/db/account-db.ts'

/** JSON with keys in one order, so two equal rows print the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

/** Everything a pull from an empty cursor gives this session now: table → row id → row. */
export async function freshPull(api: Pick<Api, 'pull'>): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>(SYNCED_STORES.map((t) => [t, new Map()]))
  let cursor = ''
  for (;;) {
    const page = await api.pull(cursor, 2000)
    for (const c of page.changes) {
      const rows = out.get(c.table) ?? new Map<string, string>()
      out.set(c.table, rows)
      if (c.deleted || !c.row) rows.delete(c.rowId)
      else rows.set(c.rowId, canonical(c.row))
    }
    cursor = page.cursor
    if (!page.hasMore) return out
  }
}

/**
 * THE sync invariant: after a pull, a device holds exactly what a fresh pull from an empty cursor
 * would give it, plus its own unsent changes (rows with an outbox entry are left out of the
 * comparison). Returns the differences, empty when it holds.
 */
export async function freshPullDifferences(name: string, db: AccountDb, api: Pick<Api, 'pull'>): Promise<string[]> {
  const fresh = await freshPull(api)
  const pending = new Set<string>()
  await db.outbox.each((m) => pending.add(`${m.table}/${m.rowId}`))
  const problems: string[] = []
  for (const table of SYNCED_STORES) {
    const want = fresh.get(table) ?? new Map<string, string>()
    const have = new Map<string, string>()
    for (const row of (await db.table(table).toArray()) as { id: string }[]) have.set(row.id, canonical(row))
    const missing: string[] = []
    const extra: string[] = []
    const differ: string[] = []
    for (const [id, row] of want) {
      if (pending.has(`${table}/${id}`)) continue
      const local = have.get(id)
      if (local === undefined) missing.push(id)
      else if (local !== row) {
        const a = JSON.parse(local) as Record<string, unknown>
        const b = JSON.parse(row) as Record<string, unknown>
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        differ.push(
          `${id}: ${keys.map((k) => `${k} local ${JSON.stringify(a[k])?.slice(0, 80)} server ${JSON.stringify(b[k])?.slice(0, 80)}`).join(', ')}`,
        )
      }
    }
    for (const id of have.keys()) if (!want.has(id) && !pending.has(`${table}/${id}`)) extra.push(id)
    if (missing.length)
      problems.push(`${name}: ${table}: ${missing.length} rows a fresh pull gives are missing (${missing.slice(0, 2).join(', ')})`)
    if (extra.length)
      problems.push(`${name}: ${table}: ${extra.length} rows a fresh pull does not give are kept (${extra.slice(0, 2).join(', ')})`)
    if (differ.length) problems.push(`${name}: ${table}: ${differ.length} rows differ from a fresh pull (${differ.slice(0, 1).join(' ')})`)
  }
  return problems
}
