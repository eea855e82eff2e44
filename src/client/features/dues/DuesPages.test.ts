// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { mountPage, settle, signedInHarness, type PageHarness } from '../../testing/page.ts'
import { newId } from '../../../core/ids.ts'
import { chinaToday } from '../../../core/domain/china-time.ts'
import { addMonths, monthLabel, monthOf, quarterMonths } from '../../../core/domain/dues-rules.ts'
import type { DuesProfile, UserProfile } from '../../../core/schemas/entities.ts'

vi.mock('../../sync/engine.ts', () => ({
  SyncEngine: class {
    sync = () => Promise.resolve({ ok: true })
  },
}))
vi.mock('../../sync/scheduler.ts', () => ({ startScheduler: () => ({ stop: () => undefined, closely: () => undefined }) }))
vi.mock('../../api/client.ts', () => ({ api: new Proxy({}, { get: () => () => Promise.reject(new Error('offline')) }) }))
// The separate consent for the base (composables/ask-consent.ts): what the member answers.
const consent = vi.hoisted(() => ({ answer: true, asked: [] as string[] }))
vi.mock('../../composables/ask-consent.ts', () => ({
  askConsent: (kind: string) => {
    consent.asked.push(kind)
    return Promise.resolve(consent.answer)
  },
}))

// The 作废 confirmation: what it said, and whether the 收缴员 confirms.
const dialog = vi.hoisted(() => ({ confirm: true, messages: [] as string[] }))
vi.mock('vant', async (original) => ({
  ...(await original<typeof import('vant')>()),
  showConfirmDialog: (o: { message: string }) => {
    dialog.messages.push(o.message)
    return dialog.confirm ? Promise.resolve('confirm') : Promise.reject(new Error('cancel'))
  },
}))

const { default: DuesPage } = await import('./DuesPage.vue')
const { default: DuesBranchPage } = await import('./DuesBranchPage.vue')

let h: PageHarness
let page: VueWrapper
afterEach(async () => {
  page.unmount()
  document.body.innerHTML = ''
  await h.db.delete()
})

const today = chinaToday(new Date())
const month = monthOf(today)
const person = (id: string, branchId: string | null, name: string, role: UserProfile['role'] = 'member'): UserProfile => ({
  id,
  orgId: h.user.orgId,
  branchId,
  name,
  role,
  removed: false,
  joinedPartyOn: null,
  fullMemberOn: null,
})
const profile = (memberId: string, baseFen: number, checkedOn = today): DuesProfile => ({
  id: memberId,
  orgId: h.user.orgId,
  branchId: h.user.branchId,
  memberId,
  category: 'in_service',
  baseFen,
  fromMonth: addMonths(month, -3),
  checkedOn,
  declaredBy: memberId,
  updatedAt: new Date().toISOString(),
})

describe('我的 → 党费', () => {
  it('a member with no declaration declares category and base, then sees 本月应交 with the rule cited', async () => {
    h = signedInHarness({ role: 'member', name: '张三' })
    await h.db.users.put(person(h.user.id, h.user.branchId, '张三'))
    page = await mountPage(h, DuesPage, '/me/dues')
    expect(page.find('[data-testid="dues-now"]').exists()).toBe(false)
    await page.find('[data-testid="dues-base"]').setValue('5000.01')
    await page.find('form').trigger('submit')
    await settle()
    const stored = await h.db.dues_profiles.get(h.user.id)
    expect(stored).toMatchObject({ category: 'in_service', baseFen: 500001, checkedOn: today, declaredBy: h.user.id })
    expect(await h.db.outbox.count()).toBe(1)
    expect(page.find('[data-testid="dues-due"]').text()).toBe('¥75.00')
    expect(page.find('[data-testid="dues-rule"]').text()).toContain('关于中国共产党党费收缴、使用和管理的规定')
    expect(page.find('[data-testid="dues-month-unpaid"]').exists()).toBe(true)
    expect(consent.asked).toEqual(['dues-base'])
  })

  it('a member who does not consent to recording the base saves nothing and is told why', async () => {
    h = signedInHarness({ role: 'member', name: '张三' })
    await h.db.users.put(person(h.user.id, h.user.branchId, '张三'))
    consent.answer = false
    try {
      page = await mountPage(h, DuesPage, '/me/dues')
      await page.find('[data-testid="dues-base"]').setValue('5000.01')
      await page.find('form').trigger('submit')
      await settle()
      expect(await h.db.dues_profiles.get(h.user.id)).toBeUndefined()
      expect(await h.db.outbox.count()).toBe(0)
      expect(page.text()).toContain('未同意记录党费基数，未保存')
    } finally {
      consent.answer = true
    }
  })

  it('shows the months paid and unpaid and the receipt the 收缴员 recorded; asks to re-check a base a year old', async () => {
    h = signedInHarness({ role: 'member', name: '张三' })
    const collector = newId()
    await h.db.users.bulkPut([person(h.user.id, h.user.branchId, '张三'), person(collector, h.user.branchId, '钱收缴')])
    await h.db.dues_profiles.put(profile(h.user.id, 450000, `${addMonths(month, -12)}-01`))
    await h.db.dues_payments.put({
      id: '1a2b3c4d-0000-4000-8000-000000000000',
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      memberId: h.user.id,
      kind: 'monthly',
      months: [month],
      amountFen: 4500,
      method: 'cash',
      receivedOn: today,
      notes: '',
      createdAt: new Date().toISOString(),
      category: 'in_service',
      baseFen: 450000,
      monthlyFen: 4500,
      collectorId: collector,
      receiptNo: `DF${today.replaceAll('-', '')}-9F2C41D7`,
      updatedAt: new Date().toISOString(),
      deleted: false,
    })
    page = await mountPage(h, DuesPage, '/me/dues')
    expect(page.find('[data-testid="dues-month-paid"]').text()).toContain('9F2C41D7')
    expect(page.find('[data-testid="dues-month-paid"]').text()).toContain('本月已交 ¥45.00')
    const months = page.findAll('[data-testid="dues-month"]')
    expect(months.map((m) => m.attributes('data-paid'))).toEqual(months.map((_, i) => (i === months.length - 1 ? 'true' : 'false')))
    const receipt = page.find('[data-testid="dues-receipt"]')
    expect(receipt.text()).toContain('¥45.00')
    expect(receipt.text()).toContain('钱收缴')
    expect(page.find('[data-testid="dues-recheck"]').exists()).toBe(true)
    await page.find('[data-testid="dues-recheck-same"]').trigger('click')
    await settle()
    expect((await h.db.dues_profiles.get(h.user.id))?.checkedOn).toBe(today)
    expect(page.find('[data-testid="dues-recheck"]').exists()).toBe(false)
    // Nobody else's base or receipts are offered to a member, and no collection page.
    expect(page.find('[data-testid="dues-branch-link"]').exists()).toBe(false)
  })
})

describe('我的 → 党费: who entered the base, and editing it', () => {
  it('a base the 收缴员 entered, not consented to by the member (尚未询问), says in one line who entered it', async () => {
    h = signedInHarness({ role: 'member', name: '张三' })
    const collector = newId()
    await h.db.users.bulkPut([person(h.user.id, h.user.branchId, '张三'), person(collector, h.user.branchId, '钱收缴')])
    await h.db.dues_profiles.put({ ...profile(h.user.id, 420000), declaredBy: collector })
    page = await mountPage(h, DuesPage, '/me/dues')
    expect(page.find('[data-testid="dues-entered-by"]').text()).toBe('此基数由钱收缴代为登记（按工资表），不是您本人填写。')
    // Seeded under the member's own name before they were asked: it says so, too.
    await h.db.dues_profiles.put(profile(h.user.id, 420000))
    await settle()
    expect(page.find('[data-testid="dues-entered-by"]').text()).toContain('征得您同意之前登记')
    // Once the member has consented, the base is theirs: no line.
    await h.db.meta.put({ key: 'consents', value: { 'dues-base': { granted: true, at: new Date().toISOString(), sent: true } } })
    await settle()
    expect(page.find('[data-testid="dues-entered-by"]').exists()).toBe(false)
  })

  it('修改党费申报 starts from what is declared: its category, base and fromMonth', async () => {
    h = signedInHarness({ role: 'member', name: '张三' })
    await h.db.users.put(person(h.user.id, h.user.branchId, '张三'))
    const declared = { ...profile(h.user.id, 420000), fromMonth: addMonths(month, -5) }
    await h.db.dues_profiles.put(declared)
    page = await mountPage(h, DuesPage, '/me/dues')
    await page.find('[data-testid="dues-edit"]').trigger('click')
    await settle()
    expect((page.find('[data-testid="dues-from-month"]').element as HTMLInputElement).value).toBe(declared.fromMonth)
    expect((page.find('[data-testid="dues-base"]').element as HTMLInputElement).value).toBe('4200.00')
  })

  it('a new base does not change what the paid months show: the receipt’s amount', async () => {
    h = signedInHarness({ role: 'member', name: '张三' })
    await h.db.users.put(person(h.user.id, h.user.branchId, '张三'))
    await h.db.dues_profiles.put(profile(h.user.id, 420000))
    const paidMonth = addMonths(month, -1)
    await h.db.dues_payments.put({
      id: newId(),
      orgId: h.user.orgId,
      branchId: h.user.branchId,
      memberId: h.user.id,
      kind: 'monthly',
      months: [paidMonth],
      amountFen: 4200,
      method: 'cash',
      receivedOn: today,
      notes: '',
      createdAt: new Date().toISOString(),
      category: 'in_service',
      baseFen: 420000,
      monthlyFen: 4200,
      collectorId: newId(),
      receiptNo: 'DF20261110-00000001',
      updatedAt: new Date().toISOString(),
      deleted: false,
    })
    page = await mountPage(h, DuesPage, '/me/dues')
    await page.find('[data-testid="dues-edit"]').trigger('click')
    await settle()
    await page.find('[data-testid="dues-base"]').setValue('5200')
    await page.find('form').trigger('submit')
    await settle()
    expect((await h.db.dues_profiles.get(h.user.id))?.baseFen).toBe(520000)
    const paid = page.findAll('[data-testid="dues-month"]').filter((m) => m.attributes('data-paid') === 'true')
    expect(paid.map((m) => m.text())).toEqual([expect.stringContaining('已交 ¥42.00')])
    expect(page.find('[data-testid="dues-due"]').text()).toBe('¥78.00')
  })
})

describe('党费收缴 (the 收缴员)', () => {
  async function collectorHarness() {
    h = signedInHarness({ role: 'member', name: '钱收缴' })
    const branchId = h.user.branchId as string
    await h.db.branches.put({ id: branchId, orgId: h.user.orgId, name: '第一党支部', archived: false, duesCollectorId: h.user.id })
    const a = newId()
    const b = newId()
    await h.db.users.bulkPut([person(h.user.id, branchId, '钱收缴'), person(a, branchId, '张三'), person(b, branchId, '李四')])
    await h.db.dues_profiles.put(profile(a, 450050))
    return { a, b }
  }

  it('records a quarter for a member in one tap, offline, and shows the receipt', async () => {
    const { a } = await collectorHarness()
    page = await mountPage(h, DuesBranchPage, '/dues/branch')
    const line = page.find(`[data-member="张三"]`)
    expect(line.text()).toContain('应交 ¥45.01')
    // The amount is on the action itself, before anything is recorded.
    const q0 = quarterMonths(month).filter((m) => m >= addMonths(month, -3))
    expect(line.find('[data-testid="dues-record-month"]').text()).toBe('收本月 ¥45.01')
    expect(line.find('[data-testid="dues-record-quarter"]').text()).toContain(`收本季 ¥${((4501 * q0.length) / 100).toFixed(2)}（`)
    // 钱收缴 and 李四 have not declared a base.
    expect(page.find('[data-testid="dues-totals"]').text()).toContain('未申报 2 人')
    // 李四 has not declared: the 收缴员 may enter it from the payroll sheet.
    expect(page.find(`[data-member="李四"]`).text()).toContain('未申报基数')
    await page.find('[data-testid="dues-method-transfer"]').trigger('click')
    await line.find('[data-testid="dues-record-quarter"]').trigger('click')
    await settle()
    const [receipt] = await h.db.dues_payments.toArray()
    const q = quarterMonths(month).filter((m) => m >= addMonths(month, -3))
    expect(receipt).toMatchObject({ memberId: a, kind: 'quarterly', months: q, method: 'transfer', amountFen: 4501 * q.length })
    expect(await h.db.outbox.count()).toBe(1)
    expect(page.find('[role="status"] [data-testid="dues-receipt-no"]').text()).toBe(receipt?.receiptNo)
    expect(page.find('[role="status"]').text()).toContain('交纳人：张三')
    expect(page.find(`[data-member="张三"] [data-testid="dues-line-paid"]`).exists()).toBe(true)
    expect(page.find('[data-testid="dues-totals"]').text()).toContain('已交 1 人')
    // No percentages anywhere.
    expect(page.text()).not.toMatch(/\d+(\.\d+)?%.*(已交|交纳率)/)
  })

  it('补交 names the months (at most 6 back); the 收缴员 cannot record their own dues', async () => {
    await collectorHarness()
    page = await mountPage(h, DuesBranchPage, '/dues/branch')
    const line = page.find(`[data-member="张三"]`)
    await line.find('[data-testid="dues-open-arrears"]').trigger('click')
    const back = addMonths(month, -2)
    await page.find(`[data-testid="dues-arrears-${back}"]`).setValue(true)
    await page.find(`[data-testid="dues-arrears-${addMonths(month, -1)}"]`).setValue(true)
    // The total is shown before saving.
    expect(page.find('[data-testid="dues-record-arrears"]').text()).toBe('登记补交 2 个月，共 ¥90.02')
    await page.find(`[data-testid="dues-arrears-${addMonths(month, -1)}"]`).setValue(false)
    await page.find('[data-testid="dues-record-arrears"]').trigger('click')
    await settle()
    expect((await h.db.dues_payments.toArray()).map((p) => [p.kind, p.months])).toEqual([['arrears', [back]]])
    expect(page.find(`[data-member="钱收缴"] [data-testid="dues-record-month"]`).exists()).toBe(false)
    // A refusal is said on the line of the member it is about.
    await page.find(`[data-member="李四"] [data-testid="dues-open-special"]`).trigger('click')
    await page.find('[data-testid="dues-record-special"]').trigger('click')
    await settle()
    expect(page.find(`[data-member="李四"] [data-testid="dues-error"]`).text()).toContain('请填写特殊党费金额')
  })

  it('a member who is not the 收缴员 sees no recording buttons', async () => {
    await collectorHarness()
    await h.db.branches.update(h.user.branchId as string, { duesCollectorId: null })
    page = await mountPage(h, DuesBranchPage, '/dues/branch')
    expect(page.find('[data-testid="dues-record-month"]').exists()).toBe(false)
    expect(page.find('[data-testid="dues-ledger-download"]').exists()).toBe(false)
  })

  it('the secretary sees who the 收缴员 is, and the picker to name another; records as a backup', async () => {
    h = signedInHarness({ role: 'secretary', name: '王书记' })
    const branchId = h.user.branchId as string
    const collector = newId()
    const a = newId()
    await h.db.users.bulkPut([
      person(h.user.id, branchId, '王书记', 'secretary'),
      person(collector, branchId, '钱收缴'),
      person(a, branchId, '张三'),
    ])
    await h.db.dues_profiles.put(profile(a, 300000))
    page = await mountPage(h, DuesBranchPage, '/dues/branch')
    // The branch row arrives after the page opened (a sync): the name and the picker follow it.
    await h.db.branches.put({ id: branchId, orgId: h.user.orgId, name: '第一党支部', archived: false, duesCollectorId: collector })
    await settle()
    expect(page.find('[data-testid="dues-collector"]').text()).toContain('钱收缴')
    expect((page.find('[data-testid="dues-collector-pick"]').element as HTMLSelectElement).value).toBe(collector)
    expect(page.find('[data-member="张三"] [data-testid="dues-record-month"]').exists()).toBe(true)
    expect(page.find('[data-testid="dues-ledger-download"]').attributes('href')).toMatch(
      new RegExp(`^/api/dues-ledger/${branchId}/\\d{4}\\.xlsx$`),
    )
  })

  it('作废 a receipt after a confirmation naming member, months and amount; the month is unpaid again and recorded afresh', async () => {
    await collectorHarness()
    page = await mountPage(h, DuesBranchPage, '/dues/branch')
    await page.find('[data-member="张三"] [data-testid="dues-record-month"]').trigger('click')
    await settle()
    const [first] = await h.db.dues_payments.toArray()
    // Declined: nothing changes.
    dialog.confirm = false
    dialog.messages = []
    await page.find('[data-member="张三"] [data-testid="dues-void"]').trigger('click')
    await settle()
    expect(dialog.messages).toHaveLength(1)
    expect(dialog.messages[0]).toContain('张三')
    expect(dialog.messages[0]).toContain(monthLabel(month))
    expect(dialog.messages[0]).toContain('¥45.01')
    expect((await h.db.dues_payments.get(first?.id ?? ''))?.deleted).toBe(false)
    dialog.confirm = true
    await page.find('[data-member="张三"] [data-testid="dues-void"]').trigger('click')
    await settle()
    const voided = await h.db.dues_payments.get(first?.id ?? '')
    expect(voided === undefined || voided.deleted).toBe(true)
    expect(page.find('[data-member="张三"] [data-testid="dues-line-paid"]').exists()).toBe(false)
    expect(page.find('[data-member="张三"] [data-testid="dues-void"]').exists()).toBe(false)
    await page.find('[data-member="张三"] [data-testid="dues-record-month"]').trigger('click')
    await settle()
    const live = (await h.db.dues_payments.toArray()).filter((p) => !p.deleted)
    expect(live.map((p) => [p.months, p.amountFen])).toEqual([[[month], 4501]])
    expect(page.find('[data-member="张三"] [data-testid="dues-line-paid"]').text()).toBe('已交 ¥45.01')
  })

  it('a 特殊党费 or 补交 just recorded is voided from its receipt, after the same confirmation', async () => {
    await collectorHarness()
    page = await mountPage(h, DuesBranchPage, '/dues/branch')
    await page.find('[data-member="张三"] [data-testid="dues-open-special"]').trigger('click')
    await page.find('[data-testid="dues-special-amount"]').setValue('100')
    await page.find('[data-testid="dues-record-special"]').trigger('click')
    await settle()
    expect(page.find('[data-member="张三"] [data-testid="dues-void"]').exists()).toBe(false)
    dialog.confirm = true
    dialog.messages = []
    await page.find('[data-member="张三"] [data-testid="dues-void-last"]').trigger('click')
    await settle()
    expect(dialog.messages[0]).toContain('张三 · 特殊党费 · ¥100.00')
    expect((await h.db.dues_payments.toArray()).filter((p) => !p.deleted)).toEqual([])
    expect(page.find('[role="status"] [data-testid="dues-receipt"]').exists()).toBe(false)
  })
})
