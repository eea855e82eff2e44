import { describe, expect, it } from 'vitest'
import { passwordProblem, passwordWeakness } from './password-policy.ts'

describe('the password policy', () => {
  it('asks for 8 characters of two kinds, not a common password', () => {
    expect(passwordWeakness('short1')).toBe('密码至少 8 位')
    expect(passwordWeakness('abcdefghij')).toBe('密码需包含字母、数字、符号中的至少两种')
    expect(passwordWeakness('1234567890')).toBe('密码需包含字母、数字、符号中的至少两种')
    expect(passwordWeakness('Abc12345')).toBe('这是常见密码，容易被猜到，请换一个')
    expect(passwordWeakness('P@ssw0rd')).toBe('这是常见密码，容易被猜到，请换一个')
    expect(passwordWeakness('dangjian123')).toBe('这是常见密码，容易被猜到，请换一个')
    for (const ok of ['test-password-1', 'my-own-password', 'Qiuyue2026', '学习强国-2026', 'demo1234'])
      expect(passwordWeakness(ok)).toBeNull()
  })

  it('refuses the account’s own phone number or name inside the password', () => {
    expect(passwordProblem('a13800000001', { phone: '13800000001' })).toBe('密码不能包含手机号')
    expect(passwordProblem('wangjianguo1', { name: 'wangjianguo' })).toBe('密码不能包含姓名或账号名')
    expect(passwordProblem('王建国2026!', { name: '王建国' })).toBe('密码不能包含姓名或账号名')
    expect(passwordProblem('hongqi-2026', { phone: '13800000001', name: '王建国' })).toBeNull()
  })
})
