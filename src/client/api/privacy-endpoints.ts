import type { HttpClient } from './http.ts'
import type { BodyOf, ResponseOf } from '../../core/contracts/contract.ts'
import type * as privacy from '../../core/contracts/privacy.ts'

/** The privacy notice's acceptance and the separate consents: loaded with the privacy pages, not with the app shell. */
export function privacyEndpoints(http: HttpClient) {
  return {
    privacyState: () => http.get<ResponseOf<typeof privacy.privacyState>>('/api/me/privacy'),
    acceptPrivacy: (version: number) => http.post<ResponseOf<typeof privacy.acceptPrivacy>>('/api/me/privacy/accept', { version }),
    setConsent: (body: BodyOf<typeof privacy.setConsent>) => http.post<ResponseOf<typeof privacy.setConsent>>('/api/me/consents', body),
  }
}
export type PrivacyApi = ReturnType<typeof privacyEndpoints>
