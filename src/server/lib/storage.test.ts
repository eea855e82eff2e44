import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { isStorageFull, isWriteConflict, StorageState } from './storage.ts'
import { registerErrorHandling } from '../plugins/errors.ts'
import { ERROR_MESSAGES } from '../../core/errors.ts'

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code })

describe('storage full', () => {
  it('is told from SQLite, PostgreSQL and file-system errors alike', () => {
    expect(isStorageFull(withCode('SQLITE_FULL', 'database or disk is full'))).toBe(true)
    expect(isStorageFull(withCode('53100', 'could not extend file: No space left on device'))).toBe(true)
    expect(isStorageFull(withCode('ENOSPC', 'no space left on device'))).toBe(true)
    expect(isStorageFull(withCode('EDQUOT', 'disk quota exceeded'))).toBe(true)
    expect(isStorageFull(withCode('SQLITE_ERROR', 'cannot rollback - no transaction is active'))).toBe(false)
    expect(isStorageFull(withCode('40P01', 'deadlock detected'))).toBe(false)
    expect(isStorageFull(null)).toBe(false)
    expect(isStorageFull('ENOSPC')).toBe(false)
  })

  it('is remembered until a write succeeds', () => {
    const state = new StorageState()
    expect(state.full).toBeNull()
    state.noteFull(withCode('53100', 'could not extend file'))
    expect(state.full).toMatchObject({ cause: '53100 could not extend file' })
    state.noteWritten()
    expect(state.full).toBeNull()
  })

  it('a PostgreSQL disk_full is answered 507 storage_full and noted', async () => {
    const state = new StorageState()
    const app = Fastify()
    registerErrorHandling(app, state)
    app.post('/write', async () => {
      throw withCode('53100', 'could not extend file "base/16384/2619": No space left on device')
    })
    const res = await app.inject({ method: 'POST', url: '/write', payload: {} })
    expect(res.statusCode).toBe(507)
    expect(res.json()).toEqual({ error: { code: 'storage_full', message: ERROR_MESSAGES.storage_full } })
    expect(state.full?.cause).toContain('No space left on device')
    await app.close()
  })
})

describe('write conflicts', () => {
  it('a PostgreSQL deadlock or serialization failure in any route is answered 503 with Retry-After, never 500', async () => {
    const app = Fastify()
    registerErrorHandling(app)
    app.post('/move', async () => {
      throw withCode('40P01', 'deadlock detected')
    })
    app.post('/serial', async () => {
      throw withCode('40001', 'could not serialize access due to concurrent update')
    })
    for (const url of ['/move', '/serial']) {
      const res = await app.inject({ method: 'POST', url, payload: {} })
      expect(res.statusCode).toBe(503)
      expect(res.headers['retry-after']).toBe('1')
      expect(res.json()).toEqual({ error: { code: 'unavailable', message: '服务器繁忙，请稍后重试' } })
    }
    expect(isWriteConflict(withCode('SQLITE_BUSY'))).toBe(false)
    await app.close()
  })
})
