import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './harness.ts'
import { contractRoutes } from '../../src/server/routes/route.ts'
import * as account from '../../src/core/contracts/account.ts'
import * as auth from '../../src/core/contracts/auth.ts'
import * as calendar from '../../src/core/contracts/calendar.ts'
import * as dues from '../../src/core/contracts/dues.ts'
import * as meetings from '../../src/core/contracts/meetings.ts'
import * as org from '../../src/core/contracts/org.ts'
import * as people from '../../src/core/contracts/people.ts'
import * as photos from '../../src/core/contracts/photos.ts'
import * as privacy from '../../src/core/contracts/privacy.ts'
import * as push from '../../src/core/contracts/push.ts'
import * as reminders from '../../src/core/contracts/reminders.ts'
import * as security from '../../src/core/contracts/security.ts'
import * as review from '../../src/core/contracts/review.ts'
import * as sync from '../../src/core/contracts/sync.ts'
import * as training from '../../src/core/contracts/training.ts'
import * as yearReport from '../../src/core/contracts/year-report.ts'

/**
 * Every API route is declared with its contract (src/core/contracts), so its input is validated
 * by the shared schemas and its answer typed (and, in tests, checked) by them; every contract is
 * served by exactly one route.
 */
let server: TestServer

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const isContract = (x: unknown): x is { method: string; path: string } =>
  typeof x === 'object' && x !== null && 'method' in x && 'path' in x && typeof x.method === 'string' && typeof x.path === 'string'

describe('REST contracts', () => {
  it('declare every API route, and every contract is a route', () => {
    const api = [...new Set(server.app.apiRoutes.filter((r) => r.includes(' /api/')))].sort()
    const declared = [...contractRoutes(server.app)].sort()
    expect(declared).toEqual(api)
    const contracts = [
      account,
      auth,
      calendar,
      dues,
      meetings,
      org,
      people,
      photos,
      privacy,
      push,
      review,
      reminders,
      security,
      sync,
      training,
      yearReport,
    ]
      .flatMap((m) => Object.values(m))
      .filter(isContract)
      .map((c) => `${c.method} ${c.path}`)
      .sort()
    expect(contracts).toEqual(declared)
  })
})
