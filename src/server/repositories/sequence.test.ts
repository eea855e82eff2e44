import { describe, expect, it } from 'vitest'
import { PendingSeqs } from './sequence.ts'

describe('PendingSeqs positions (the numbering order of a one-statement flush)', () => {
  it('numbers rows in the order written, across tables; a row written again moves to the end', () => {
    const seqs = new PendingSeqs()
    seqs.mark('study_records', 'a')
    seqs.mark('users', 'u')
    seqs.mark('study_records', 'b')
    seqs.mark('study_records', 'a')
    expect(seqs.size).toBe(3)
    expect([...seqs.positions('study_records')]).toEqual([
      ['b', 2],
      ['a', 3],
    ])
    expect([...seqs.positions('users')]).toEqual([['u', 1]])
    expect(seqs.positions('visits').size).toBe(0)
  })
})
