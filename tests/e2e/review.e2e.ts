import { test, expect, DEMO_MEMBER } from './support/fixtures.ts'
import { AppServer } from './support/server.ts'
import { LoginPage } from './pages/login.page.ts'
import { Shell } from './pages/shell.page.ts'
import { MeetingsPages } from './pages/meetings.page.ts'
import { ReviewPages } from './pages/review.page.ts'
import type { Browser, BrowserContext, Page } from '@playwright/test'

/**
 * The year's end of a small branch on three phones (docs/review-ballots.md): the secretary opens
 * the year and the 民主评议 meeting's ballot; two members, offline in the hall, sign in by the
 * code and cast their sealed ballots; back online the ballots arrive; the secretary closes the
 * ballot, reads the tally with its notice, and the committee's grades reach each member alone.
 */
const server = new AppServer(Number(process.env.E2E_PORT ?? 4610) + 11)
const SECRETARY = '13900000011'
const OTHER_MEMBER = '13900000104' // 赵磊, same branch as the demo member 刘芳

test.beforeAll(() => server.start())
test.afterAll(() => server.stop())

function startedJustNow(): { date: string; time: string } {
  const china = new Date(Date.now() - 5 * 60_000 + 8 * 3600_000).toISOString()
  return { date: china.slice(0, 10), time: china.slice(11, 16) }
}

async function phone(
  browser: Browser,
  number: string,
): Promise<{ context: BrowserContext; page: Page; shell: Shell; review: ReviewPages }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await new LoginPage(page).open(server.url)
  await new LoginPage(page).login(number, DEMO_MEMBER.password)
  const shell = new Shell(page)
  await shell.waitForServiceWorker()
  await shell.expectUnsynced(0)
  return { context, page, shell, review: new ReviewPages(page, server.url) }
}

test('a branch runs its 民主评议 with three phones, two of them offline: sealed ballots counted once, the tally after close, grades seen by each member alone', async ({
  browser,
}) => {
  // Three phones, a meeting, a ballot over eleven members, grades: long on a loaded CI machine.
  test.setTimeout(180_000)
  const sec = await phone(browser, SECRETARY)
  const topic = '年度民主评议党员会议'
  await sec.shell.tab('会议').click()
  const secMeetings = new MeetingsPages(sec.page)
  await secMeetings.schedule({ topic, place: '三楼会议室', type: '民主评议党员', ...startedJustNow() })
  await sec.page.goto(`${server.url}/`)
  await sec.shell.expectUnsynced(0)

  // The secretary opens the year with its 征求意见 prompt and names the meeting.
  await sec.review.openManage()
  await sec.review.openCycle('围绕学习贯彻党的创新理论，征求对党支部和党员的意见建议', topic)
  await sec.page.goto(`${server.url}/`)
  await sec.shell.expectUnsynced(0)

  // Members receive the prompt; 刘芳 writes her 对照检查 privately and hands it in; 赵磊 hands in a 书面发言.
  const liu = await phone(browser, DEMO_MEMBER.phone)
  const zhao = await phone(browser, OTHER_MEMBER)
  await liu.review.open()
  await expect(liu.review.prompt()).toContainText('征求对党支部和党员的意见建议')
  await liu.review.writePaper('对照检查：理论学习不够系统，整改措施如下……')
  await liu.review.handIn()
  await zhao.review.open()
  await zhao.review.writePaper('书面发言：因出差不能到会，对照检查如下……', 'written')
  await zhao.review.handIn()
  for (const p of [liu, zhao]) {
    await p.page.goto(`${server.url}/`)
    await p.shell.expectUnsynced(0)
  }
  await sec.review.openManage()
  await expect(sec.review.handIns()).toHaveCount(2)

  // At the meeting: the ballot opens; the members' phones hear of it, then lose the network.
  await sec.review.startBallot()
  await sec.page.goto(`${server.url}/`)
  await sec.shell.expectUnsynced(0)
  for (const p of [liu, zhao]) {
    // Online, the phone learns the ballot is open (its review page says so) before the network goes.
    await p.review.open()
    await expect(p.page.getByTestId('review-ballot')).toContainText('请在民主评议会议上扫码签到', { timeout: 20_000 })
    await p.context.setOffline(true)
  }
  await sec.page.goto(`${server.url}/meetings`)
  await secMeetings.open(topic)
  const link = await secMeetings.currentCode()
  for (const p of [liu, zhao]) {
    await p.page.goto(link)
    await expect(new MeetingsPages(p.page).myStatus()).toHaveText('我的出勤：已签到')
    await p.review.open()
    await p.review.castAll('合格')
    await expect(p.review.ballotCard()).toContainText('选票已保存在本机，联网后自动发送')
  }

  // Nothing has arrived yet: the secretary sees no vote and no tally.
  await sec.review.openManage()
  await expect(sec.review.turnout()).toContainText('已投票 0 人')
  await expect(sec.review.tally()).toHaveCount(0)

  // Back online: each phone syncs its sign-in and sends its ballot; then only 已投票 is left on it.
  for (const p of [zhao, liu]) {
    await p.context.setOffline(false)
    await p.page.goto(`${server.url}/`)
    await p.shell.expectUnsynced(0)
    await p.review.open()
    await expect(p.review.ballotCard()).toContainText('已投票', { timeout: 20_000 })
  }
  await sec.review.refresh()
  // The secretary showing the code is signed in too (present at his meeting) and has not voted.
  await expect(sec.review.turnout()).toContainText('已投票 2 人 / 到会签到 3 人')

  await sec.review.closeBallot()
  await sec.page.goto(`${server.url}/`)
  await sec.shell.expectUnsynced(0)
  await sec.review.openManage()
  await expect(sec.review.tallyNotice()).toContainText('不得以网络投票结果作为民主评议党员的评定依据')
  await expect(sec.review.tally()).toContainText('刘芳')

  // The committee's 评定: each member reads their own, and only their own.
  await sec.review.grade('刘芳', '优秀', '学习积极，起到模范作用')
  await sec.review.grade('赵磊', '合格', '继续加强理论学习')
  await sec.page.goto(`${server.url}/`)
  await sec.shell.expectUnsynced(0)
  await liu.page.goto(`${server.url}/`)
  await liu.shell.expectUnsynced(0)
  await liu.review.open()
  await expect(liu.review.myGrade()).toContainText('优秀', { timeout: 20_000 })
  await expect(liu.review.myGrade()).toContainText('学习积极，起到模范作用')
  await expect(liu.page.getByText('继续加强理论学习')).toHaveCount(0)
  for (const p of [sec, liu, zhao]) await p.context.close()
})
