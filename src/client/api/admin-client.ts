import { createHttpClient } from './http.ts'
import { adminEndpoints } from './admin-endpoints.ts'

/** Administration API client (same origin), apart from the app shell's. */
export const adminApi = adminEndpoints(createHttpClient())
