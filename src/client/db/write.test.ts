import { describe, expect, it } from 'vitest'
import { AccountDb } from './account-db.ts'
import { StorageFullError } from './errors.ts'
import { COMMITTED_MARK } from './write.ts'
import { createStudy, updateStudy } from '../features/study/study.repo.ts'
import { ValidationError } from './errors.ts'
import { monthRecords } from '../features/study/study.queries.ts'
import { newId } from '../../core/ids.ts'
import type { SessionUser } from '../../core/schemas/auth.ts'

const user = (id = newId()): SessionUser => ({
  id,
  orgId: newId(),
  orgName: '机关党委',
  branchId: newId(),
  branchName: '第一党支部',
  name: '张三',
  phone: '13800000001',
  role: 'member',
})
const draft = { kind: 'self_study' as const, title: '学习党章', date: '2026-11-20', minutes: 45, notes: '', sourceUrl: '' }
const freshDb = () => new AccountDb(`unit-${newId()}`)

describe('the one write path', () => {
  it('stores the row and its outbox entry together', async () => {
    const db = freshDb()
    const u = user()
    const rec = await createStudy(db, u, draft)
    expect(await db.study_records.get(rec.id)).toMatchObject({ title: '学习党章', ownerId: u.id })
    const [m] = await db.outbox.toArray()
    expect(m).toMatchObject({ table: 'study_records', op: 'upsert', rowId: rec.id })
    expect(m?.fields).toMatchObject({ title: '学习党章', minutes: 45 })
  })

  it('marks each commit on the performance timeline, after it is stored, and keeps only the latest mark', async () => {
    const db = freshDb()
    const u = user()
    const before = performance.now()
    await createStudy(db, u, draft)
    const rec = await createStudy(db, u, { ...draft, title: '学习准则' })
    const marks = performance.getEntriesByName(COMMITTED_MARK, 'mark')
    expect(marks).toHaveLength(1)
    expect(marks[0]?.startTime).toBeGreaterThanOrEqual(before)
    expect(await db.study_records.get(rec.id)).toBeDefined()
  })

  it('an aborted transaction leaves neither the row nor its outbox entry, and marks no commit', async () => {
    performance.clearMarks(COMMITTED_MARK)
    const db = freshDb()
    db.outbox.hook('creating', () => {
      throw new Error('simulated failure inside the transaction')
    })
    await expect(createStudy(db, user(), draft)).rejects.toThrow('simulated failure')
    expect(await db.study_records.count()).toBe(0)
    expect(await db.outbox.count()).toBe(0)
    expect(performance.getEntriesByName(COMMITTED_MARK, 'mark')).toHaveLength(0)
  })

  it('a full disk is reported and nothing is shown as saved', async () => {
    const db = freshDb()
    const u = user()
    db.outbox.hook('creating', () => {
      throw new DOMException('quota', 'QuotaExceededError')
    })
    await expect(createStudy(db, u, draft)).rejects.toBeInstanceOf(StorageFullError)
    expect(await monthRecords(db, u.id, '2026-11')).toEqual([])
    expect(await db.outbox.count()).toBe(0)
  })

  it('an edit queues only the fields that changed, with the base of free text', async () => {
    const db = freshDb()
    const rec = await createStudy(db, user(), { ...draft, notes: '旧心得' })
    await updateStudy(db, rec.id, { ...draft, notes: '新心得', minutes: 60 })
    const [, edit] = await db.outbox.orderBy('seq').toArray()
    expect(edit?.fields).toEqual({ notes: '新心得', minutes: 60 })
    expect(edit?.base).toEqual({ notes: '旧心得' })
  })

  it('refuses invalid input before anything is written, with a Chinese message', async () => {
    const db = freshDb()
    await expect(createStudy(db, user(), { ...draft, minutes: 0 })).rejects.toThrow(ValidationError)
    await expect(createStudy(db, user(), { ...draft, title: '' })).rejects.toThrow('请填写学习内容')
    expect(await db.outbox.count()).toBe(0)
  })

  it('each account has its own database: another user on the same phone sees nothing', async () => {
    const { accountDbName } = await import('./account-db.ts')
    const a = user()
    const b = user()
    await createStudy(new AccountDb(accountDbName(a.id)), a, draft)
    const dbB = new AccountDb(accountDbName(b.id))
    expect(await dbB.study_records.count()).toBe(0)
    expect(await dbB.outbox.count()).toBe(0)
  })
})
