import { createPgDatabase, dropPgDatabase, startServer } from '../integration/harness.ts'
import { createBranch, createOrganization, createUser } from '../../src/server/repositories/organization.ts'
import { createSession } from '../../src/server/repositories/sessions.ts'
import { newId } from '../../src/core/ids.ts'
import { attendanceId } from '../../src/core/attendance-id.ts'
import { newMeetingKey, signToken, windowOf } from '../../src/core/domain/sign-in-token.ts'
import { MUTATION_VERSION, type PushResponse } from '../../src/core/sync/protocol.ts'

export interface SignInBench {
  members: number
  spreadMs: number
  p50: number
  p99: number
  max: number
  errors: number
  rejected: number
  rows: number
}

/**
 * 500 members of one meeting sign in within 10 s: each phone pushes its own scan (one mutation)
 * at a moment spread evenly over the window, through the real push route with session auth and
 * token verification. Reports per-request latency.
 */
export async function measureMeetingSignIn(members = 500, spreadMs = 10_000, databaseUrl?: string): Promise<SignInBench> {
  // On PostgreSQL: a fresh database of its own, dropped afterwards.
  const fresh = databaseUrl ? await createPgDatabase(databaseUrl) : undefined
  const server = await startServer({ databaseUrl: fresh })
  try {
    const db = server.handle.db
    const key = newMeetingKey()
    const meetingId = newId()
    const { tokens, people } = await db.transaction().execute(async (trx) => {
      const orgId = await createOrganization(trx, '基准测试机关党委')
      const branchId = await createBranch(trx, orgId, '第一党支部')
      const people: string[] = []
      for (let i = 0; i < members; i++)
        people.push(
          await createUser(trx, {
            orgId,
            branchId,
            name: `党员${i}`,
            phone: `135${String(i).padStart(8, '0')}`,
            role: 'member',
            passwordHash: 'x',
          }),
        )
      const now = new Date().toISOString()
      await trx
        .insertInto('meetings')
        .values({
          id: meetingId,
          org_id: orgId,
          branch_id: branchId,
          type: 'branch_general',
          topic: '支部党员大会',
          starts_at: now,
          duration_minutes: 120,
          place: '礼堂',
          organiser_id: people[0] ?? '',
          speaker: '',
          expected_ids: JSON.stringify(people),
          agenda: '',
          minutes: '',
          talk_with_id: null,
          sign_key: key,
          photo_ids: '[]',
          created_by: people[0] ?? '',
          created_at: now,
          updated_at: now,
          deleted: 0,
          seq: 1,
        })
        .execute()
      const tokens: string[] = []
      for (const p of people) tokens.push(await createSession(trx, p, 'bench'))
      return { tokens, people }
    })
    const latencies: number[] = []
    let errors = 0
    let rejected = 0
    const started = performance.now()
    await Promise.all(
      people.map(async (memberId, i) => {
        await new Promise((r) => setTimeout(r, (i * spreadMs) / members))
        const at = Date.now()
        const w = windowOf(at)
        const body = JSON.stringify({
          clientId: newId(),
          mutations: [
            {
              id: newId(),
              table: 'attendance',
              op: 'upsert',
              rowId: attendanceId(meetingId, memberId),
              clientTime: new Date(at).toISOString(),
              v: MUTATION_VERSION,
              base: {},
              fields: {
                meetingId,
                memberId,
                scan: { window: w, token: await signToken(key, meetingId, w), scannedAt: new Date(at).toISOString() },
                status: 'present',
                method: 'scan',
              },
            },
          ],
        })
        const t = performance.now()
        try {
          const res = await fetch(`${server.url}/api/sync/push`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: `sx_session=${tokens[i]}` },
            body,
          })
          const out = (await res.json()) as PushResponse
          latencies.push(performance.now() - t)
          if (!res.ok) errors++
          else if (out.results[0]?.status !== 'applied') rejected++
        } catch {
          errors++
        }
      }),
    )
    const total = performance.now() - started
    latencies.sort((a, b) => a - b)
    const q = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 10) / 10
    const rows = Number(
      (
        await db
          .selectFrom('attendance')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('meeting_id', '=', meetingId)
          .where('status', '=', 'present')
          .executeTakeFirstOrThrow()
      ).n,
    )
    return { members, spreadMs: Math.round(total), p50: q(0.5), p99: q(0.99), max: q(1), errors, rejected, rows }
  } finally {
    await server.close()
    if (fresh) await dropPgDatabase(fresh)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureMeetingSignIn()))
}
