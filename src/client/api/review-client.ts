import { createHttpClient } from './http.ts'
import { reviewEndpoints } from './review-endpoints.ts'

/** The review API client (same origin), apart from the app shell's. */
export const reviewApi = reviewEndpoints(createHttpClient())
