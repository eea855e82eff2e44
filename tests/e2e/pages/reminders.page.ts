import type { CDPSession, Page } from '@playwright/test'

/** 我的 › 提醒设置, and the service worker's notifications. */
export class RemindersPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('reminders-link').click()
  }

  pref(kind: 'birthday' | 'branchWeekAhead' | 'studyGap' | 'unsynced') {
    return this.page.getByTestId(`pref-${kind}`)
  }

  state() {
    return this.page.getByTestId('push-state')
  }

  /** Notifications the service worker is showing now. */
  notifications(): Promise<{ title: string; body: string; tag: string }[]> {
    return this.page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready
      return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag }))
    })
  }

  /**
   * Deliver a push message straight to the page's service worker through the DevTools protocol,
   * as the push service would (no push service is reachable from a test machine).
   */
  private registrationId: string | null = null

  async deliverPush(cdp: CDPSession, origin: string, data: unknown): Promise<void> {
    this.registrationId ??= await new Promise<string>((resolve) => {
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
          const reg = e.registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted)
          if (reg) resolve(reg.registrationId)
        },
      )
      void cdp.send('ServiceWorker.enable')
    })
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: this.registrationId, data: JSON.stringify(data) })
  }
}
