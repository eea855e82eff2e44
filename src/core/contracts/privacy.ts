import * as v from 'valibot'
import { contract } from './contract.ts'
import { titled } from '../schemas/common.ts'
import { CONSENT_KINDS } from '../domain/privacy-notice.ts'

/** One consent as it stands: given or withdrawn, and when (null: never asked). */
const ConsentState = v.nullable(v.object({ granted: v.boolean(), at: v.string() }))

/**
 * The person's privacy state: which version of the 个人信息保护说明 is current and which they
 * accepted (null: none), each separate consent, and the retention the server enforces (the
 * notice's "保存多久" is rendered from it).
 */
export const PrivacyState = v.object({
  currentVersion: v.number(),
  acceptedVersion: v.nullable(v.number()),
  acceptedAt: v.nullable(v.string()),
  consents: v.object({ location: ConsentState, 'dues-base': ConsentState }),
  retention: v.object({ visitPhotoYears: v.number(), feedbackYears: v.number(), unfinishedUploadDays: v.number() }),
})
export type PrivacyState = v.InferOutput<typeof PrivacyState>

export const privacyState = contract({ method: 'GET', path: '/api/me/privacy', response: PrivacyState })

/** Accept the notice of this version (the current one: an older version is refused, 409, so the member reads the new text). */
export const acceptPrivacy = contract({
  method: 'POST',
  path: '/api/me/privacy/accept',
  body: v.strictObject({
    version: titled(
      '说明版本',
      v.pipe(v.number('版本应为数字'), v.integer('版本应为整数'), v.minValue(1, '版本不正确'), v.maxValue(1_000_000)),
    ),
  }),
  response: PrivacyState,
})

/** Give or withdraw one separate consent (location on visits, 党费 base). */
export const setConsent = contract({
  method: 'POST',
  path: '/api/me/consents',
  body: v.strictObject({
    kind: titled('授权事项', v.picklist(CONSENT_KINDS, '授权事项不正确')),
    granted: titled('是否同意', v.boolean('是否同意应为是或否')),
  }),
  response: PrivacyState,
})
