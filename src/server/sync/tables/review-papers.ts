import * as v from 'valibot'
import type { Selectable } from 'kysely'
import type { ReviewPaperTable } from '../../db/schema.ts'
import { reviewPaperFields, type ReviewPaper } from '../../../core/schemas/review.ts'
import type { PaperKind } from '../../../core/domain/review.ts'
import { reviewPaperId } from '../../../core/review-ids.ts'
import { HttpError } from '../../lib/http-error.ts'
import { nowIso } from '../../lib/time.ts'
import type { Viewer } from '../../lib/viewer.ts'
import { mergedText, parse, parsePatch, writableTable, type Apply, type Scope } from '../table-module.ts'
import { committeeBranches } from './review-scopes.ts'

/**
 * A member's 对照检查 / 书面发言: the author's alone until handed in; then also the branch committee's
 * (its secretary and 支部委员). Nobody else: not administrators, not other members.
 */
export function reviewPaperScope(v: Viewer): Scope<'review_papers'> {
  return (eb) =>
    eb.and([
      eb('org_id', '=', v.orgId),
      eb.or([eb('author_id', '=', v.id), eb.and([eb('handed_in_at', 'is not', null), eb('branch_id', 'in', committeeBranches(v)(eb))])]),
    ])
}

export function reviewPaperToWire(r: Selectable<ReviewPaperTable>): ReviewPaper {
  return {
    id: r.id,
    orgId: r.org_id,
    branchId: r.branch_id,
    cycleId: r.cycle_id,
    authorId: r.author_id,
    kind: r.kind as PaperKind,
    text: r.text,
    handedInAt: r.handed_in_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

const NewPaper = v.strictObject(reviewPaperFields)
const { cycleId: _c, createdAt: _cr, ...editable } = reviewPaperFields

/**
 * Written by its author only, one per member and cycle (its id is derived from both); edited until
 * handed in, then kept as handed in (a hand-in is never taken back).
 */
export const applyReviewPaperMutation: Apply = async (trx, viewer, m, seqs) => {
  if (m.op === 'delete') throw new HttpError(422, 'validation', '对照检查不能删除，可清空内容')
  const existing = await trx.selectFrom('review_papers').selectAll().where('id', '=', m.rowId).executeTakeFirst()
  if (existing && (existing.org_id !== viewer.orgId || existing.author_id !== viewer.id))
    throw new HttpError(403, 'forbidden', '只能填写本人的对照检查')
  const fields = m.fields ?? {}
  const now = nowIso()
  if (!existing) {
    const f = parse(NewPaper, fields)
    if (m.rowId !== reviewPaperId(f.cycleId, viewer.id)) throw new HttpError(403, 'forbidden', '只能填写本人的对照检查')
    const cycle = await trx
      .selectFrom('review_cycles')
      .select(['branch_id', 'subject_ids'])
      .where('id', '=', f.cycleId)
      .where('org_id', '=', viewer.orgId)
      .executeTakeFirst()
    if (!cycle) throw new HttpError(409, 'waiting', '年度评议还没有同步到服务器，联网后会自动重试')
    if (cycle.branch_id !== viewer.branchId) throw new HttpError(403, 'forbidden', '只能参加本支部的年度评议')
    await trx
      .insertInto('review_papers')
      .values({
        id: m.rowId,
        org_id: viewer.orgId,
        branch_id: cycle.branch_id,
        cycle_id: f.cycleId,
        author_id: viewer.id,
        kind: f.kind,
        text: f.text,
        handed_in_at: f.handedIn ? now : null,
        created_at: f.createdAt,
        updated_at: now,
        seq: 0,
      })
      .execute()
    seqs.mark('review_papers', m.rowId)
    return
  }
  const { cycleId, createdAt: _cra, ...rest } = fields
  if (cycleId !== undefined && cycleId !== existing.cycle_id) throw new HttpError(422, 'validation', '不能改到其他年度评议')
  const p = parsePatch(editable, rest)
  if (existing.handed_in_at) {
    // The same hand-in again (a retry, the author's other phone): already done.
    if (p.text === undefined || p.text === existing.text) return
    throw new HttpError(409, 'conflict', '已交给支部，不能再修改')
  }
  await trx
    .updateTable('review_papers')
    .set({
      ...(p.kind !== undefined && { kind: p.kind }),
      ...(p.text !== undefined && { text: mergedText(m, 'text', existing.text, p.text) }),
      ...(p.handedIn === true && { handed_in_at: now }),
      updated_at: now,
      seq: 0,
    })
    .where('id', '=', m.rowId)
    .execute()
  seqs.mark('review_papers', m.rowId)
}

export const reviewPapers = writableTable({
  table: 'review_papers',
  read: (db, viewer) => db.selectFrom('review_papers').selectAll().where(reviewPaperScope(viewer)),
  toWire: (rows) => rows.map(reviewPaperToWire),
  apply: applyReviewPaperMutation,
})
