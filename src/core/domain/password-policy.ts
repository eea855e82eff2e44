/**
 * The password policy of every account (等保 2.0: 口令复杂度): at least 8 characters of at least two
 * kinds (lower-case, upper-case, digits, other signs), not a well-known password, and not the
 * account's own phone number or name. The same rules in the client's forms and on the server.
 */
export const PASSWORD_MIN_LENGTH = 8

/** Passwords tried first by anyone guessing (those that would otherwise pass the rules above). */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'abc12345',
  'abcd1234',
  'a1234567',
  'a12345678',
  'a123456789',
  'aa123456',
  'aa12345678',
  'abc123456',
  'abc123456789',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'admin123',
  'admin1234',
  'admin@123',
  'admin888',
  '1qaz2wsx',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'qwer1234',
  'qwerty123',
  'qwe123456',
  'asdf1234',
  'zxcv1234',
  'qq123456',
  'woaini1314',
  'woaini520',
  'iloveyou1',
  'test1234',
  'dangjian123',
  'dangyuan123',
  'dangjian1921',
])

/** How many kinds of character the password mixes. */
export function characterKinds(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length
}

/** What is wrong with a password, without knowing the account (the schema's check). */
export function passwordWeakness(password: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 位`
  if (characterKinds(password) < 2) return '密码需包含字母、数字、符号中的至少两种'
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return '这是常见密码，容易被猜到，请换一个'
  return null
}

/** What is wrong with a password for this account (its phone number and name), or null. */
export function passwordProblem(password: string, account: { phone?: string; name?: string }): string | null {
  const weak = passwordWeakness(password)
  if (weak) return weak
  const lower = password.toLowerCase()
  if (account.phone && lower.includes(account.phone.replace(/\D/g, '')) && account.phone.replace(/\D/g, '').length >= 6)
    return '密码不能包含手机号'
  if (account.name && account.name.length >= 2 && lower.includes(account.name.toLowerCase())) return '密码不能包含姓名或账号名'
  return null
}
