import { expect, type Page } from '@playwright/test'
import { Shell } from './shell.page.ts'

/** 我的 → 党费 (the member) and 党费收缴 (the branch's 收缴员). */
export class DuesPage {
  constructor(private readonly page: Page) {}

  /** 我的 → 党费. */
  async openMine(): Promise<void> {
    await new Shell(this.page).tab('我的').click()
    await this.page.getByTestId('dues-link').click()
    await expect(this.page.getByRole('heading', { name: '党费', exact: true })).toBeVisible()
  }

  /** 我的 → 党费 → 党费收缴（本支部）. */
  async openBranch(): Promise<void> {
    await this.openMine()
    await this.page.getByTestId('dues-branch-link').click()
    await expect(this.page.getByRole('heading', { name: '党费收缴', exact: true })).toBeVisible()
  }

  /** A member's line on the 收缴员's page. */
  line(name: string) {
    return this.page.locator(`[data-testid="dues-line"][data-member="${name}"]`)
  }

  async method(which: 'cash' | 'transfer'): Promise<void> {
    await this.page.getByTestId(`dues-method-${which}`).click()
  }

  /** One tap: this quarter's dues of the member; answers the receipt number shown. */
  async recordQuarter(name: string): Promise<string> {
    await this.line(name).getByTestId('dues-record-quarter').click()
    await expect(this.line(name).getByTestId('dues-line-paid')).toBeVisible()
    return (await this.page.getByRole('status', { name: '刚登记的收据' }).getByTestId('dues-receipt-no').textContent()) ?? ''
  }

  /** The member's receipts on 我的 → 党费. */
  receipt(receiptNo: string) {
    return this.page.getByTestId('dues-receipt').filter({ hasText: receiptNo })
  }
}
