import { expect, type Page } from '@playwright/test'
import { acceptPrivacyIfAsked, forgetPrivacyAnswer } from './privacy.page.ts'

/** 我的 › 组织与人员: import, people, activation codes. */
export class AdminPages {
  constructor(private readonly page: Page) {}

  async openFromMe(): Promise<void> {
    await this.page.getByTestId('admin-link').click()
  }

  /** Upload a roster file and wait for the preview. */
  async previewRoster(name: string, content: string): Promise<void> {
    await this.page.getByTestId('import-link').click()
    await this.page.getByTestId('roster-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) })
    await expect(this.page.getByTestId('import-summary')).toBeVisible()
  }

  summary() {
    return this.page.getByTestId('import-summary')
  }

  rows() {
    return this.page.getByTestId('import-row')
  }

  async apply(): Promise<{ name: string; code: string }[]> {
    await this.page.getByTestId('import-apply').click()
    await expect(this.page.getByTestId('activation-codes')).toBeVisible()
    const rows = this.page.getByTestId('activation-row')
    const out: { name: string; code: string }[] = []
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = rows.nth(i).locator('td')
      out.push({
        name: (await cells.nth(0).textContent()) ?? '',
        code: (await rows.nth(i).getByTestId('activation-code').textContent())?.trim() ?? '',
      })
    }
    return out
  }
}

export class ActivatePage {
  constructor(private readonly page: Page) {}

  async activate(baseUrl: string, phone: string, code: string, password: string): Promise<void> {
    await this.page.goto(`${baseUrl}/login`)
    await this.page.getByTestId('activate-link').click()
    // The page is loaded on demand: fill its fields, not the login page's still on screen.
    await expect(this.page.getByRole('heading', { name: '激活账号' })).toBeVisible()
    await this.page.getByLabel('手机号').fill(phone)
    await this.page.getByLabel('激活码').fill(code)
    await this.page.getByLabel('新密码').fill(password)
    await this.page.getByLabel('再输一次').fill(password)
    await forgetPrivacyAnswer(this.page)
    await this.page.getByTestId('activate-submit').click()
    await acceptPrivacyIfAsked(this.page)
  }
}
