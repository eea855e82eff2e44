import { createHttpClient } from './http.ts'
import { privacyEndpoints } from './privacy-endpoints.ts'

/** Privacy API client (same origin), apart from the app shell's. */
export const privacyApi = privacyEndpoints(createHttpClient())
