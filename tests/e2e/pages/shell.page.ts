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
}
