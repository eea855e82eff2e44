import { expect, type Page } from '@playwright/test'

/** The app shell: tab bar, sync badge, update prompt. */
export class Shell {
  constructor(private readonly page: Page) {}

  tab(name: '首页' | '学习' | '会议' | '走访' | '我的') {
    return this.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name })
  }

  syncBadge() {
    return this.page.getByTestId('sync-badge')
  }

  async expectUnsynced(count: number): Promise<void> {
    if (count === 0) await expect(this.syncBadge()).toHaveText(/已同步/)
    else await expect(this.syncBadge()).toContainText(`${count} 条未同步`)
  }

  async waitForServiceWorker(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
  }

  updatePrompt() {
    return this.page.getByTestId('update-prompt')
  }

  /** The home screen's snapshot as the app saved it for the service worker (null: none). */
  async savedSnapshot(): Promise<string | null> {
    return this.page.evaluate(async () => {
      const stored = await (await caches.open('suixing-home-snapshot')).match('/__home-snapshot.json')
      return stored ? ((await stored.json()) as { html: string }).html : null
    })
  }

  /** Records, for every page opened from now on, what #app held when the HTML had been parsed (before the app ran). */
  async recordFirstHtml(): Promise<void> {
    await this.page.context().addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const w = window as unknown as { __firstApp: string; __firstInert: boolean }
        w.__firstApp = document.getElementById('app')?.innerHTML ?? ''
        w.__firstInert = document.querySelector('[data-snapshot]')?.hasAttribute('inert') ?? false
      })
    })
  }

  async firstHtml(): Promise<{ html: string; inert: boolean }> {
    return this.page.evaluate(() => {
      const w = window as unknown as { __firstApp: string; __firstInert: boolean }
      return { html: w.__firstApp, inert: w.__firstInert }
    })
  }
}
