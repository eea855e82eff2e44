import type { Page } from '@playwright/test'

/**
 * After a sign-in the app asks the server whether the person has accepted the current
 * 个人信息保护说明 (features/privacy/privacy-gate.ts marks <html data-privacy>); a person who has
 * not is led to it. Accept it, as every member does once. A sign-in that lands on a public page
 * (a scanned sign-in link) is not checked there: nothing to do.
 */
/** Before a sign-in on a page that may hold another account's answer: forget it, so the next one is this account's. */
export async function forgetPrivacyAnswer(page: Page): Promise<void> {
  await page.evaluate(() => {
    delete document.documentElement.dataset.privacy
  })
}

export async function acceptPrivacyIfAsked(page: Page, timeout = 10_000): Promise<void> {
  const asked = await page
    .waitForFunction(() => document.documentElement.dataset.privacy, undefined, { timeout })
    .then((h) => h.jsonValue())
    .catch(() => null)
  if (asked !== 'required') return
  await page.getByTestId('privacy-accept').click()
  await page.waitForFunction(() => document.documentElement.dataset.privacy === 'accepted')
}
