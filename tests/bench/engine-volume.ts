import 'fake-indexeddb/auto'
import { SyncEngine } from '../../src/client/sync/engine.ts'
import { AccountDb } from '../../src/client/db/account-db.ts'
import { MUTATION_VERSION } from '../../src/core/sync/protocol.ts'
import { newId } from '../../src/core/ids.ts'
import { device, seedOrg, startServer } from '../integration/harness.ts'

const fields = () => ({
  kind: 'self_study',
  title: '批量学习记录',
  date: '2026-11-20',
  minutes: 45,
  notes: '',
  sourceUrl: '',
  createdAt: new Date().toISOString(),
})

/**
 * The client engine (over fake-indexeddb in Node: slower than a browser's IndexedDB) against the
 * real server on loopback: 10,000 queued mutations pushed, then 100,000 rows pulled from scratch.
 * The bench reports the push only (pullCount 0): fake-indexeddb keeps the database in the JS heap,
 * so its pull time and memory say nothing about a phone; the pull is measured in Chromium
 * (browser-pull.ts).
 */
export async function measureEngineVolume(
  pushCount = 10_000,
  pullCount = 100_000,
): Promise<{ pushMs: number; pullMs: number; pullRows: number; heapMb: number }> {
  const server = await startServer()
  try {
    const org = await seedOrg(server.handle)
    const d = await device(server, org.memberA.phone)
    await d.db.outbox.bulkAdd(
      Array.from({ length: pushCount }, () => ({
        id: newId(),
        table: 'study_records' as const,
        op: 'upsert' as const,
        rowId: newId(),
        fields: fields(),
        base: {},
        clientTime: '',
        v: MUTATION_VERSION,
      })),
    )
    const engine = new SyncEngine(d.db, d.api, { pushBatch: 500 })
    let t = performance.now()
    await engine.push()
    const pushMs = performance.now() - t

    if (pullCount === 0) return { pushMs: Math.round(pushMs), pullMs: 0, pullRows: 0, heapMb: 0 }
    // Top the member up to pullCount rows on the server, then pull them all on a fresh device.
    const have = pushCount
    const now = new Date().toISOString()
    await server.handle.db.transaction().execute(async (trx) => {
      const { nextSeq } = await import('../../src/server/repositories/sequence.ts')
      for (let i = have; i < pullCount; i += 1000) {
        const rows = []
        for (let j = i; j < Math.min(pullCount, i + 1000); j++)
          rows.push({
            id: newId(),
            owner_id: org.memberA.id,
            branch_id: org.branchA,
            org_id: org.orgId,
            kind: 'self_study' as const,
            title: `记录 ${j}`,
            date: '2026-11-20',
            minutes: 30,
            notes: '',
            source_url: '',
            created_at: now,
            updated_at: now,
            deleted: 0,
            seq: await nextSeq(trx),
          })
        await trx.insertInto('study_records').values(rows).execute()
      }
    })
    const fresh = new AccountDb(`bench-pull-${newId()}`)
    const puller = new SyncEngine(fresh, d.api, { pullLimit: 2000 })
    let peak = 0
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50)
    t = performance.now()
    await puller.pull()
    const pullMs = performance.now() - t
    clearInterval(timer)
    return {
      pushMs: Math.round(pushMs),
      pullMs: Math.round(pullMs),
      pullRows: await fresh.study_records.count(),
      heapMb: Math.round(peak / 2 ** 20),
    }
  } finally {
    await server.close()
  }
}
