/**
 * The one spelling of what a person types to name an account: a phone number, an activation
 * code. Used by the shared schemas (so the client and the server agree) and before anything
 * counts an attempt or looks an account up: " 139…", "139 0000 0101", "１３９…" and "139-0000-0101"
 * are the same number, and so the same account and the same allowance of attempts.
 *
 * What comes out is either the canonical form or something the schema's pattern refuses.
 */

/**
 * Every kind of space (\s covers U+3000 ideographic space, no-break spaces, line breaks and the
 * BOM) and the invisible zero-width characters a paste may carry.
 */
const SPACES = /[\s\u200b-\u200d\u2060]/gu
/** Hyphens and dashes people put between groups of digits (NFKC has already made "－" a "-"). */
const DASHES = /[-\u2010-\u2015\u2212]/gu

function compact(text: string): string {
  // NFKC first: full-width digits and letters become ASCII, U+3000 becomes a plain space.
  return text.normalize('NFKC').replace(SPACES, '').replace(DASHES, '')
}

/** A mainland mobile number as stored: 11 ASCII digits. A leading +86 / 0086 / 86 is dropped. */
export function normalizePhone(text: string): string {
  return compact(text).replace(/^(?:\+|00)?86(?=1\d{10}$)/u, '')
}

/** An activation code as issued: upper-case letters and digits, no spaces or dashes. */
export function normalizeActivationCode(text: string): string {
  return compact(text).toUpperCase()
}
