import { expect, type Page } from '@playwright/test'

export class StudyPage {
  constructor(private readonly page: Page) {}

  list() {
    return this.page.getByTestId('study-list')
  }

  record(title: string) {
    return this.list().getByRole('link', { name: new RegExp(title) })
  }

  async add(record: { title: string; kind: string; minutes: number; notes?: string }): Promise<void> {
    await this.page.getByTestId('study-add').click()
    // The form loads lazily: until it is on screen, 党课 and the other kinds are the list's own filter.
    await expect(this.page.getByRole('heading', { name: '新增学习记录' })).toBeVisible()
    await this.page.getByRole('radio', { name: record.kind }).click()
    await this.page.getByLabel('学习内容').fill(record.title)
    await this.page.getByLabel('时长', { exact: true }).fill(String(record.minutes))
    if (record.notes) await this.page.getByLabel('心得体会').fill(record.notes)
    await this.page.getByTestId('study-save').click()
    // The first write on a new phone opens (and creates) the account's database: allow for a slow CI machine.
    await expect(this.record(record.title)).toBeVisible({ timeout: 20_000 })
  }
}
