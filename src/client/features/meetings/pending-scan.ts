/**
 * A sign-in link opened before the member has signed in on this browser (a QR scanned inside
 * WeChat, a phone that was never used): the time it was opened is kept here, for this tab, so a
 * login that takes a minute does not make the code too old. The server's checks are the same as
 * for any scan (the code's signature, and the scan within its window).
 */
const KEY = 'suixing-pending-scan'
/** A scan older than this is not kept: the member opens the code again. */
const KEEP_MS = 10 * 60_000

interface PendingScan {
  link: string
  at: number
}

/** When this link was first opened (now, if it was not, or longer ago than anyone logs in). */
export function scanTime(link: string, now: number): number {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as PendingScan | null
    if (saved && saved.link === link && typeof saved.at === 'number' && now - saved.at >= 0 && now - saved.at < KEEP_MS) return saved.at
    sessionStorage.setItem(KEY, JSON.stringify({ link, at: now } satisfies PendingScan))
  } catch {
    // No session storage (a private window): the scan counts from now.
  }
  return now
}

/** The link was used (signed in, or refused for good). */
export function forgetScan(): void {
  try {
    sessionStorage.removeItem(KEY)
  } catch {
    // Nothing was kept.
  }
}
