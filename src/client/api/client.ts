import { createHttpClient } from './http.ts'
import { endpoints } from './endpoints.ts'

/** The app's API client (same origin). */
export const api = endpoints(createHttpClient())
