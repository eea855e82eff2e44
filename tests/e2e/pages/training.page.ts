import type { Page } from '@playwright/test'

/** 我的学时, 登记其他培训 and the secretary's 学时与党员管理. */
export class TrainingPages {
  constructor(private readonly page: Page) {}

  async openMine(): Promise<void> {
    await this.page.getByRole('button', { name: /我的学时/ }).click()
  }
  progress() {
    return this.page.getByTestId('training-progress')
  }
  outsideRows() {
    return this.page.getByTestId('outside-row')
  }
  async recordOutside(t: { title: string; hours: number; certificate: { name: string; buffer: Buffer } }): Promise<void> {
    await this.page.getByTestId('outside-new').click()
    await this.page.getByTestId('outside-title').fill(t.title)
    await this.page.getByTestId('outside-hours').fill(String(t.hours))
    await this.page
      .getByTestId('outside-photos')
      .setInputFiles({ name: t.certificate.name, mimeType: 'image/jpeg', buffer: t.certificate.buffer })
    await this.page.getByTestId('outside-save').click()
  }
  async openBranch(): Promise<void> {
    await this.page.getByTestId('branch-training-link').click()
  }
  confirmRows() {
    return this.page.getByTestId('confirm-row')
  }
  probations() {
    return this.page.getByTestId('probation-row')
  }
  watchRows() {
    return this.page.getByTestId('watch-row')
  }
}
