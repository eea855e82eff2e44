import { expect, type Page } from '@playwright/test'

/** 会议: schedule, show the code, sign in, roll, leave and 补学. */
export class MeetingsPages {
  constructor(private readonly page: Page) {}

  /** `type`: the 会议类型 chip to choose (the form's default otherwise). */
  async schedule(m: { topic: string; date: string; time: string; place: string; type?: string }): Promise<void> {
    await this.page.getByTestId('meeting-new').click()
    if (m.type) await this.page.getByRole('radiogroup', { name: '会议类型' }).getByRole('radio', { name: m.type, exact: true }).click()
    await this.page.getByLabel('会议主题').fill(m.topic)
    await this.page.getByLabel('日期').fill(m.date)
    await this.page.getByLabel('开始时间').fill(m.time)
    await this.page.getByLabel('地点').fill(m.place)
    // Right after signing in the roster may still be on its way: the form lists 应到 when it lands.
    await expect(this.page.getByTestId('roster-waiting')).toHaveCount(0, { timeout: 20_000 })
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

  /** The member's own sign-in, as the page states it (已签到, and whether it is uploaded yet). */
  signedInTitle() {
    return this.page.getByTestId('signed-in-title')
  }

  signedInTime() {
    return this.page.getByTestId('signed-in-time')
  }

  /** The organiser's code page outside the sign-in time: when it opens or closed, and no code. */
  async openCodePage(): Promise<void> {
    await this.page.getByTestId('show-code').click()
    await expect(this.page.getByTestId('code-count')).toBeVisible()
  }

  signInClosed() {
    return this.page.getByTestId('sign-in-closed')
  }

  qrCode() {
    return this.page.getByTestId('sign-in-qr')
  }

  rollRow(name: string) {
    return this.page.getByTestId(`roll-${name}`)
  }
}
