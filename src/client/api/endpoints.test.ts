import { describe, expect, it } from 'vitest'
import { createHttpClient, type FetchFn } from './http.ts'
import { endpoints } from './endpoints.ts'
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../core/sync/schema-version.ts'

describe('sync calls', () => {
  it('push and pull tell the server which schema version this app understands (docs/sync.md, "Versions")', async () => {
    const sent: (string | null)[] = []
    const record: FetchFn = (_i, init) => {
      sent.push(new Headers(init?.headers).get(SCHEMA_HEADER))
      return Promise.resolve(new Response('{"results":[]}', { status: 200 }))
    }
    const api = endpoints(createHttpClient('', record))
    await api.pull('')
    await api.push({ clientId: '0196f0e2-7a4b-7c3d-8e9f-0a1b2c3d4e5f', mutations: [] })
    await endpoints(createHttpClient('', record), { schemaVersion: 7 }).pull('')
    await api.me()
    expect(sent).toEqual([String(SCHEMA_VERSION), String(SCHEMA_VERSION), '7', null])
  })
})
