import type { Page } from '@playwright/test'
import { acceptPrivacyIfAsked, forgetPrivacyAnswer } from './privacy.page.ts'

export class LoginPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/login`)
  }

  async login(phone: string, password: string): Promise<void> {
    await this.page.getByLabel('手机号').fill(phone)
    await this.page.getByLabel('密码').fill(password)
    await forgetPrivacyAnswer(this.page)
    await this.page.getByTestId('login-submit').click()
    await acceptPrivacyIfAsked(this.page)
  }
}
