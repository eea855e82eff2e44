import type { Page } from '@playwright/test'

export class PartyDatesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('edit-party-dates').click()
  }

  async save(joined: string, full: string): Promise<void> {
    await this.page.getByLabel('入党日期').fill(joined)
    await this.page.getByLabel('转正日期').fill(full)
    await this.page.getByTestId('party-save').click()
  }

  error() {
    return this.page.getByTestId('form-error')
  }
}
