import { expect, type Page } from '@playwright/test'

/** 会议: schedule, show the code, sign in, roll, leave and 补学. */
export class MeetingsPages {
  constructor(private readonly page: Page) {}

  async schedule(m: { topic: string; date: string; time: string; place: string }): Promise<void> {
    await this.page.getByTestId('meeting-new').click()
    await this.page.getByLabel('会议主题').fill(m.topic)
    await this.page.getByLabel('日期').fill(m.date)
    await this.page.getByLabel('开始时间').fill(m.time)
    await this.page.getByLabel('地点').fill(m.place)
    await this.page.getByTestId('meeting-save').click()
    await expect(this.page.getByTestId('show-code')).toBeVisible()
  }

  open(topic: string) {
    return this.page.getByTestId('meeting-item').filter({ hasText: topic }).first().click()
  }

  /** The link the code currently shown encodes (what a camera would read). */
  async currentCode(): Promise<string> {
    await this.page.getByTestId('show-code').click()
    const link = this.page.getByTestId('sign-in-link')
    await expect(link).toHaveText(/\/s\/[0-9a-f-]{36}\/\d+\/[\w-]{22}$/)
    return (await link.textContent())?.trim() ?? ''
  }

  myStatus() {
    return this.page.getByTestId('my-status')
  }

  rollRow(name: string) {
    return this.page.getByTestId(`roll-${name}`)
  }
}
