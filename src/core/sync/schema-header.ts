/**
 * The app's schema version and the header that carries it: all a request needs. What each version
 * added is in schema-version.ts (SCHEMA_HISTORY, one entry per version up to this one), kept apart
 * so that the first screen's bytes do not carry the whole history.
 */
export const SCHEMA_VERSION = 9

/** Sent by every push and pull; absent from apps older than this header (they are version 1). */
export const SCHEMA_HEADER = 'x-suixing-schema'

/** What a request without the header (an app from before it existed) understands: today's tables. */
export const LEGACY_SCHEMA_VERSION = 1
