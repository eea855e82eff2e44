import { expect, type Page } from '@playwright/test'

/** 年度组织生活会和民主评议: the member's page, the sealed ballot, the committee's page. */
export class ReviewPages {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  /** From the meetings page, as a member finds it. */
  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/meetings`)
    await this.page.getByTestId('review-link').click()
    await expect(this.page.getByRole('heading', { name: '年度组织生活会和民主评议' })).toBeVisible()
  }

  async openManage(): Promise<void> {
    await this.open()
    await this.page.getByTestId('review-manage-link').click()
  }

  private async confirm(): Promise<void> {
    await this.page.locator('.van-dialog__confirm').click()
  }

  /** The secretary opens the year with its 征求意见 prompt and the 民主评议 meeting (by its topic). */
  async openCycle(prompt: string, meetingTopic: string): Promise<void> {
    await this.page.getByTestId('cycle-prompt').fill(prompt)
    const select = this.page.getByTestId('cycle-meeting')
    await select.selectOption((await select.locator('option', { hasText: meetingTopic }).getAttribute('value')) ?? '')
    await this.page.getByTestId('cycle-save').click()
    await expect(this.page.getByTestId('review-message')).toContainText('已开启本年度评议')
  }

  async startBallot(): Promise<void> {
    await this.page.getByTestId('ballot-open').click()
    await expect(this.page.getByTestId('review-message')).toContainText('投票已开始')
  }

  async closeBallot(): Promise<void> {
    await this.page.getByTestId('ballot-close').click()
    await this.confirm()
    await expect(this.page.getByTestId('review-message')).toContainText('投票已结束')
  }

  turnout() {
    return this.page.getByTestId('turnout')
  }

  async refresh(): Promise<void> {
    await this.page.getByTestId('turnout-refresh').click()
  }

  tally() {
    return this.page.getByTestId('tally')
  }

  tallyNotice() {
    return this.page.getByTestId('tally-notice')
  }

  prompt() {
    return this.page.getByTestId('review-prompt')
  }

  async writePaper(text: string, kind: 'statement' | 'written' = 'statement'): Promise<void> {
    await this.page.getByTestId(`paper-kind-${kind}`).check()
    await this.page.getByTestId('paper-text').fill(text)
    await this.page.getByTestId('paper-save').click()
  }

  async handIn(): Promise<void> {
    await this.page.getByTestId('paper-hand-in').click()
    await this.confirm()
    await expect(this.page.getByTestId('paper-handed-in')).toBeVisible()
  }

  handIns() {
    return this.page.getByTestId('hand-in')
  }

  /** The member casts the ballot: `grade` (优秀, 合格…) for every member assessed. */
  async castAll(grade: string): Promise<void> {
    await this.page.getByTestId('ballot-link').click()
    for (const subject of await this.page.getByTestId('ballot-subject').all()) await subject.getByLabel(grade, { exact: true }).check()
    await this.page.getByTestId('ballot-submit').click()
    await this.confirm()
    await expect(this.page.getByTestId('review-ballot')).toBeVisible()
  }

  ballotCard() {
    return this.page.getByTestId('review-ballot')
  }

  async grade(name: string, grade: string, feedback: string): Promise<void> {
    const row = this.page.getByTestId('grade-row').filter({ hasText: name })
    await row.getByTestId('grade-select').selectOption({ label: grade })
    await row.getByTestId('grade-feedback').fill(feedback)
    await row.getByTestId('grade-save').click()
  }

  myGrade() {
    return this.page.getByTestId('review-my-grade')
  }
}
