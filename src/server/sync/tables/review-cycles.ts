import * as v from 'valibot'
import type { Kysely, Selectable } from 'kysely'
import type { Database, ReviewCycleTable } from '../../db/schema.ts'
import { reviewCycleFields, type ReviewCycle } from '../../../core/schemas/review.ts'
import { ballotMayMove, type BallotState } from '../../../core/domain/review.ts'
import { isAdmin, managesBranch } from '../../../core/domain/authority.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { idList } from '../../db/json.ts'
import { lockBallotBox, openBallotBox } from '../../repositories/review-ballots.ts'
import { mergedText, parse, parsePatch, writableTable, type Apply, type Scope } from '../table-module.ts'

/** A cycle (dates, state of the ballot, who is assessed; nothing secret): the branch's people, administrators. */
export function reviewCycleScope(v: Viewer): Scope<'review_cycles'> {
  return (eb) => {
    if (isAdmin(v.role)) return eb.and([eb('org_id', '=', v.orgId)])
    return eb.and([eb('org_id', '=', v.orgId), eb('branch_id', '=', v.branchId ?? '')])
  }
}

export function reviewCycleToWire(r: Selectable<ReviewCycleTable>): ReviewCycle {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    year: Number(r.year),
    opensOn: r.opens_on,
    lifeMeetingOn: r.life_meeting_on,
    assessmentOn: r.assessment_on,
    prompt: r.prompt,
    meetingId: r.meeting_id,
    ballot: r.ballot as BallotState,
    subjectIds: idList(r.subject_ids),
    closedAt: r.closed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

const NewCycle = v.strictObject(reviewCycleFields)
const { branchId: _b, createdAt: _c, ...editable } = reviewCycleFields

/** The members assessed: the branch's people (not removed) when the ballot leaves 'none', sorted. */
async function branchMembers(trx: Kysely<Database>, orgId: string, branchId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('branch_id', '=', branchId)
    .where('removed_at', 'is', null)
    .where('role', '!=', 'admin')
    .execute()
  return rows.map((r) => r.id).sort()
}

async function checkMeeting(trx: Kysely<Database>, orgId: string, branchId: string, meetingId: string | null | undefined): Promise<void> {
  if (!meetingId) return
  const m = await trx
    .selectFrom('meetings')
    .select(['branch_id', 'deleted'])
    .where('id', '=', meetingId)
    .where('org_id', '=', orgId)
    .executeTakeFirst()
  if (!m) throw new HttpError(409, 'waiting', '民主评议会议还没有同步到服务器，联网后会自动重试')
  if (m.branch_id !== branchId || m.deleted === 1) throw new HttpError(422, 'validation', '请选择本支部的民主评议会议')
}

/**
 * The year's cycle: opened and edited by whoever manages the branch (its secretary, administrators);
 * one per branch and year. The ballot moves none → open → closed, never back: once the tally can be
 * read nothing more is counted (docs/review-ballots.md). Leaving 'none' fixes who is assessed and
 * sets up the ballot box.
 */
export const applyReviewCycleMutation: Apply = async (trx, viewer, m, seqs) => {
  if (m.op === 'delete') throw new HttpError(422, 'validation', '年度评议不能删除')
  const existing = await trx.selectFrom('review_cycles').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && existing.org_id !== viewer.orgId) throw new HttpError(403, 'forbidden')
  const fields = m.fields ?? {}
  const now = nowIso()
  if (!existing) {
    const f = parse(NewCycle, fields)
    if (!managesBranch(viewer, f.branchId)) throw new HttpError(403, 'forbidden', '年度评议由本支部书记开启')
    const taken = await trx
      .selectFrom('review_cycles')
      .select('id')
      .where('branch_id', '=', f.branchId)
      .where('year', '=', f.year)
      .executeTakeFirst()
    if (taken) throw new HttpError(409, 'conflict', `本支部${f.year}年度的组织生活会和民主评议已经开启`)
    await checkMeeting(trx, viewer.orgId, f.branchId, f.meetingId)
    if (f.ballot === 'open' && !f.meetingId) throw new HttpError(422, 'validation', '请先选择民主评议会议，再开始投票')
    const subjects = f.ballot === 'none' ? [] : await branchMembers(trx, viewer.orgId, f.branchId)
    await trx
      .insertInto('review_cycles')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: f.branchId,
        year: f.year,
        opens_on: f.opensOn,
        life_meeting_on: f.lifeMeetingOn,
        assessment_on: f.assessmentOn,
        prompt: f.prompt,
        meeting_id: f.meetingId,
        ballot: f.ballot,
        subject_ids: JSON.stringify(subjects),
        closed_at: f.ballot === 'closed' ? now : null,
        created_at: f.createdAt,
        updated_at: now,
        seq: 0,
      })
      .execute()
    if (f.ballot !== 'none') await openBallotBox(trx, viewer.orgId, m.rowId, subjects)
    seqs.mark('review_cycles', m.rowId)
    return
  }
  if (!managesBranch(viewer, existing.branch_id)) throw new HttpError(403, 'forbidden', '年度评议由本支部书记管理')
  const { branchId, year: _y, createdAt: _cr, ...rest } = fields
  if (branchId !== undefined && branchId !== existing.branch_id) throw new HttpError(422, 'validation', '年度评议不能改到其他支部')
  const p = parsePatch(editable, rest)
  const from = existing.ballot as BallotState
  const to = p.ballot ?? from
  if (!ballotMayMove(from, to))
    throw new HttpError(409, 'conflict', from === 'closed' ? '投票已经结束，不能重新开始' : '投票状态不能这样更改')
  const meetingId = p.meetingId === undefined ? existing.meeting_id : p.meetingId
  if (p.meetingId !== undefined) {
    if (from !== 'none' && p.meetingId !== existing.meeting_id) throw new HttpError(409, 'conflict', '投票开始后不能更换民主评议会议')
    await checkMeeting(trx, viewer.orgId, existing.branch_id, p.meetingId)
  }
  if (to === 'open' && !meetingId) throw new HttpError(422, 'validation', '请先选择民主评议会议，再开始投票')
  // Closing waits for a ballot being counted (and a ballot after it sees the ballot closed): none counts after close.
  if (from === 'open' && to === 'closed') await lockBallotBox(trx, m.rowId)
  const leaving = from === 'none' && to !== 'none'
  const subjects = leaving ? await branchMembers(trx, viewer.orgId, existing.branch_id) : null
  await trx
    .updateTable('review_cycles')
    .set({
      ...(p.opensOn !== undefined && { opens_on: p.opensOn }),
      ...(p.lifeMeetingOn !== undefined && { life_meeting_on: p.lifeMeetingOn }),
      ...(p.assessmentOn !== undefined && { assessment_on: p.assessmentOn }),
      ...(p.prompt !== undefined && { prompt: mergedText(m, 'prompt', existing.prompt, p.prompt) }),
      ...(p.meetingId !== undefined && { meeting_id: p.meetingId }),
      ballot: to,
      ...(subjects && { subject_ids: JSON.stringify(subjects) }),
      ...(to === 'closed' && from !== 'closed' && { closed_at: now }),
      updated_at: now,
      seq: 0,
    })
    .where('id', '=', m.rowId)
    .execute()
  if (subjects) await openBallotBox(trx, viewer.orgId, m.rowId, subjects)
  seqs.mark('review_cycles', m.rowId)
}

export const reviewCycles = writableTable({
  table: 'review_cycles',
  read: (db, viewer) => db.selectFrom('review_cycles').selectAll().where(reviewCycleScope(viewer)),
  toWire: (rows) => rows.map(reviewCycleToWire),
  apply: applyReviewCycleMutation,
})
