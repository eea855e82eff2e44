// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { forgetScan, scanTime } from './pending-scan.ts'

const link = '/s/0192f0c4-0000-7000-8000-000000000001/177000000/abcdefghijklmnopqrstuv'

beforeEach(() => sessionStorage.clear())

describe('a sign-in link opened before logging in', () => {
  it('keeps the time it was first opened while the member logs in', () => {
    expect(scanTime(link, 1_000_000)).toBe(1_000_000)
    // Back from the login page 70 s later: the code counts as scanned when it was opened.
    expect(scanTime(link, 1_070_000)).toBe(1_000_000)
  })

  it('does not lend that time to another code, nor keep it longer than ten minutes', () => {
    scanTime(link, 1_000_000)
    expect(scanTime(link.replace('177000000', '177000001'), 1_010_000)).toBe(1_010_000)
    scanTime(link, 2_000_000)
    expect(scanTime(link, 2_000_000 + 10 * 60_000)).toBe(2_000_000 + 10 * 60_000)
  })

  it('forgets the time once the link is used', () => {
    scanTime(link, 1_000_000)
    forgetScan()
    expect(scanTime(link, 1_050_000)).toBe(1_050_000)
  })
})
