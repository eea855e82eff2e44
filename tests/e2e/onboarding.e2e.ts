import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { ActivatePage, AdminPages } from './pages/admin.page.ts'

const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 4)
const SECRETARY = '13900000011'
const ADMIN = '13900000001'
// Fresh phone numbers per run, so a retry on the same server does not find them taken.
const RUN = String(Date.now()).slice(-4)
const PHONE_1 = `137${RUN}1111`
const PHONE_2 = `137${RUN}2222`

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

test('a secretary imports a small roster; a new member activates on a fresh phone and sees only their branch', async ({ browser }) => {
  const office = await browser.newContext()
  const page = await office.newPage()
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(SECRETARY, DEMO_MEMBER.password)
  await new Shell(page).tab('我的').click()
  const admin = new AdminPages(page)
  await admin.openFromMe()

  // A roster with a mistake: listed, nothing written.
  await admin.previewRoster(
    '花名册.csv',
    `姓名,手机号,入党日期,转正日期\n新党员甲,${PHONE_1},2024-07-01,2025-07-01\n新党员乙,1370000222,2024-07-01,\n`,
  )
  await expect(admin.summary()).toContainText('发现 1 处问题')
  await expect(admin.rows().nth(1)).toContainText('不是 11 位手机号')
  await expect(page.getByTestId('import-apply')).toHaveCount(0)

  // Corrected: both written, each with a code.
  await page.goBack()
  await admin.previewRoster(
    '花名册.csv',
    `姓名,手机号,入党日期,转正日期\n新党员甲,${PHONE_1},2024-07-01,2025-07-01\n新党员乙,${PHONE_2},2024-07-01,\n`,
  )
  await expect(admin.summary()).toContainText('共 2 人，检查无误')
  const codes = await admin.apply()
  expect(codes.map((c) => c.name)).toEqual(['新党员甲', '新党员乙'])
  const code = codes[0]?.code ?? ''
  expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/)
  await office.close()

  // The new member's own phone: activate with the code, set a password, land signed in.
  const phone = await browser.newContext()
  const mine = await phone.newPage()
  await new ActivatePage(mine).activate(server.url, PHONE_1, code, 'my-new-password')
  await expect(mine.getByText('新党员甲，您好')).toBeVisible()
  const shell = new Shell(mine)
  await shell.expectUnsynced(0)
  // Their branch's people are on the phone; another branch's are not.
  const readPeople = () =>
    mine.evaluate(async () => {
      const dbs = await indexedDB.databases()
      const name = dbs.map((d) => d.name ?? '').find((n) => n.startsWith('suixing-account-')) ?? ''
      if (!name) return []
      return new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          try {
            const all = open.result.transaction('users').objectStore('users').getAll()
            all.onsuccess = () => resolve((all.result as { name: string; branchId: string }[]).map((u) => `${u.name}@${u.branchId}`))
          } catch {
            resolve([])
          } finally {
            open.result.close()
          }
        }
      })
    })
  // The first pull may still be on its way when the badge first says 已同步.
  await expect.poll(async () => (await readPeople()).some((n) => n.startsWith('新党员乙@')), { timeout: 15_000 }).toBe(true)
  const names = await readPeople()
  const branches = new Set(names.map((n) => n.split('@')[1]))
  expect(branches.size).toBe(1)
  expect(names.some((n) => n.startsWith('新党员乙@'))).toBe(true)
  await phone.close()
  // The password is theirs from now on.
  const later = await browser.newContext()
  const again = await later.newPage()
  await new LoginPage(again).open(server.url)
  await new LoginPage(again).login(PHONE_1, 'my-new-password')
  await expect(again.getByText('新党员甲，您好')).toBeVisible()
  await later.close()
})

test('a lost phone: the administrator signs out all its devices; it wipes that account and keeps another account on the same browser', async ({
  browser,
}) => {
  const shared = await browser.newContext()
  const page = await shared.newPage()
  const login = new LoginPage(page)
  const shell = new Shell(page)
  // Two people have used this browser: first 13900000102 (signed out normally, data kept), then the demo member.
  await login.open(server.url)
  await login.login('13900000102', DEMO_MEMBER.password)
  await shell.expectUnsynced(0)
  await shell.tab('我的').click()
  page.once('dialog', () => undefined)
  await page.getByTestId('logout').click()
  await page.getByRole('button', { name: '退出', exact: true }).click()
  await login.login(DEMO_MEMBER.phone, DEMO_MEMBER.password)
  await shell.expectUnsynced(0)
  const databases = () =>
    page.evaluate(async () =>
      (await indexedDB.databases())
        .map((d) => d.name ?? '')
        .filter((n) => n.startsWith('suixing-account-'))
        .sort(),
    )
  await expect.poll(databases).toHaveLength(2)

  const office = await browser.newContext()
  const adminPage = await office.newPage()
  await new LoginPage(adminPage).open(server.url)
  await new LoginPage(adminPage).login(ADMIN, DEMO_MEMBER.password)
  await new Shell(adminPage).tab('我的').click()
  await new AdminPages(adminPage).openFromMe()
  await adminPage.getByTestId('people-link').click()
  await adminPage.getByTestId('person-row').filter({ hasText: '13900000101' }).click()
  await adminPage.getByTestId('sign-out-all').click()
  await adminPage.getByRole('button', { name: '确定' }).click()
  await expect(adminPage.getByTestId('sign-out-all')).toBeEnabled()
  await office.close()

  // The phone's next contact with the server: told, wiped, back at the login page.
  await page.reload()
  await expect(page.getByTestId('signed-out-notice')).toBeVisible({ timeout: 15_000 })
  await expect.poll(databases).toHaveLength(1)
  await login.login('13900000102', DEMO_MEMBER.password)
  await shell.expectUnsynced(0)
  await shared.close()
})
