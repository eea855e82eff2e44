import { expect, type Page } from '@playwright/test'

/** The year's end: 整改清单, 谈心谈话 coverage and the 述职评议 pack, opened from 会议. */
export class YearEndPages {
  constructor(private readonly page: Page) {}

  async openRectify(): Promise<void> {
    await this.page.getByTestId('rectify-link').click()
    await expect(this.page.getByRole('heading', { name: /年度整改清单/ })).toBeVisible()
  }

  /** The secretary lists an item for `owner` (a name in the branch). */
  async addRectification(text: string, owner: string): Promise<void> {
    await this.page.getByRole('textbox', { name: '整改事项' }).fill(text)
    await this.page.getByTestId('rectify-owner').selectOption({ label: owner })
    await this.page.getByTestId('rectify-save').click()
    await expect(this.item(text)).toBeVisible()
  }

  item(text: string) {
    return this.page.getByTestId('rectify-item').filter({ hasText: text })
  }

  /** 销号 with what was done. */
  async close(text: string, note: string): Promise<void> {
    await this.item(text).getByTestId('rectify-close').click()
    await this.item(text).getByLabel('整改结果').fill(note)
    await this.item(text).getByTestId('rectify-close-save').click()
    await expect(this.item(text).getByTestId('rectify-closed')).toContainText(`：${note}`)
  }

  async openTalks(): Promise<void> {
    await this.page.getByTestId('talks-link').click()
    await expect(this.page.getByRole('heading', { name: /年谈心谈话/ })).toBeVisible()
  }

  async openYearReport(): Promise<void> {
    await this.page.getByTestId('year-report-link').click()
    await expect(this.page.getByTestId('year-report')).toBeVisible({ timeout: 20_000 })
  }

  /** A fact of the report: its row (事项) in the section whose title ends with `section`. */
  fact(section: string, label: string) {
    return this.page
      .getByTestId('year-report')
      .locator('section')
      .filter({ has: this.page.getByRole('heading', { name: new RegExp(`${section}$`) }) })
      .getByRole('row', { name: new RegExp(`^${label}`) })
  }
}
