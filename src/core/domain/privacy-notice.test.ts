import { describe, expect, it } from 'vitest'
import { PRIVACY_NOTICE_VERSION, privacyNotice } from './privacy-notice.ts'

const section = (title: string) => (privacyNotice().find((s) => s.title === title)?.lines ?? []).join('\n')

describe('个人信息保护说明 and 党费', () => {
  it('says what of 党费 is collected, who sees it and how long it is kept', () => {
    expect(section('我们收集哪些信息')).toMatch(/党费类别.*基数.*交纳记录/)
    expect(section('谁能看到')).toMatch(/党费.*您本人、本支部党费收缴员、支部书记和机关党委管理员/)
    expect(section('保存多久')).toMatch(/党费收缴记录.*党费收缴台账.*长期保存/)
  })
  it('is a new version, so every member reads and accepts the text with 党费 again', () => {
    expect(PRIVACY_NOTICE_VERSION).toBe(2)
  })
})
