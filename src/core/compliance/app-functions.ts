/**
 * The app's functions as a 备案 form lists them, each with the pages (client routes) that serve
 * it. compliance.test.ts checks this list against the client's route table both ways, so a page
 * cannot ship without appearing here.
 */
export interface AppFunction {
  name: string
  /** What it does and for whom. */
  what: string
  /** Who uses it. */
  who: string
  paths: readonly string[]
}

export const APP_FUNCTIONS: readonly AppFunction[] = [
  {
    name: '登录与账号激活',
    what: '手机号与密码登录（管理员另需两步验证），凭激活码设置密码，首次初始化或体验示范组织',
    who: '全体',
    paths: ['/login', '/activate', '/setup'],
  },
  { name: '首页', what: '本人待办、会议、政治生日、提醒的汇总', who: '全体', paths: ['/'] },
  {
    name: '学习记录',
    what: '党员自行记录学习内容和心得（可离线），书记查看本支部学习台账并下载；不排名、不考核时长',
    who: '党员、书记',
    paths: ['/study', '/study/new', '/study/:id', '/study/branch'],
  },
  {
    name: '组织生活与会议',
    what: '三会一课等会议的安排、扫码签到（仅会议考勤，非每日打卡）、请假、补学、会议记录与台账',
    who: '党员、书记',
    paths: [
      '/meetings',
      '/meetings/new',
      '/meetings/record',
      '/meetings/ledger',
      '/meetings/pending',
      '/meetings/:id',
      '/meetings/:id/edit',
      '/meetings/:id/code',
      '/meetings/talks',
      '/scan',
      '/s/:meetingId/:window/:token',
    ],
  },
  {
    name: '一线走访（双联系）',
    what: '困难户登记、走访记录（照片、仅在本人点选时记录位置）、承诺事项与走访台账',
    who: '党员、书记',
    paths: ['/visits', '/visits/new', '/visits/ledger', '/visits/:id', '/households/new', '/households/:id', '/households/:id/edit'],
  },
  {
    name: '党龄与政治生日',
    what: '本人入党、转正日期，政治生日提醒与重温入党誓词',
    who: '党员、书记',
    paths: ['/me/party', '/party/birthdays'],
  },
  { name: '提醒', what: '本人自愿开启的手机通知、日历订阅、免打扰时段', who: '全体', paths: ['/me/reminders'] },
  {
    name: '我的',
    what: '个人信息、登录设备管理、导出本人数据、修改密码、两步验证、本机存储、同步详情',
    who: '全体',
    paths: ['/me', '/me/devices', '/me/password', '/me/two-factor', '/me/storage', '/me/sync'],
  },
  {
    name: '组织与人员管理',
    what: '党支部、党小组、人员、角色、导入花名册、发放激活码',
    who: '书记（本支部）、管理员',
    paths: ['/admin', '/admin/people', '/admin/people/new', '/admin/people/:id', '/admin/import'],
  },
  { name: '操作日志', what: '管理操作与登录的审计日志，按日期导出', who: '管理员', paths: ['/admin/audit'] },
  {
    name: '党费收缴',
    what: '党员申报党费基数、查看应交与收据；收缴员离线登记收缴并开具收据；党费收缴台账（不得垫交或扣缴）',
    who: '党员、收缴员、书记',
    paths: ['/me/dues', '/dues/branch'],
  },
  {
    name: '学时与党员管理',
    what: '由已参加的组织培训、确认的补学和书记确认的其他培训计算学时（不计应用使用时长）；预备期满提醒；连续未参加组织生活的提示（仅提示）',
    who: '党员、书记',
    paths: ['/training/new', '/training/:view(branch)?'],
  },
  {
    name: '年终工作',
    what: '年度组织生活会和民主评议党员（征求意见、对照检查、民主评议无记名投票仅作参考、支部委员会评定）；整改清单逐项销号；由全年记录生成述职评议材料（只列事实，不打分、不排名）',
    who: '书记、支部委员、党员、管理员',
    paths: ['/review/:sub(.*)*', '/meetings/rectify', '/meetings/year-report'],
  },
  {
    name: '投诉建议',
    what: '党员向机关党委提出投诉或建议（可对支部匿名），管理员答复',
    who: '党员、管理员',
    paths: ['/me/feedback', '/admin/feedback'],
  },
  { name: '个人信息保护', what: '个人信息保护说明与确认，位置、党费基数等单独同意及撤回', who: '全体', paths: ['/me/privacy'] },
]
