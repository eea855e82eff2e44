import type { SyncedRows, SyncedTable } from '../sync/tables.ts'

/**
 * What each synced table holds and why (个人信息处理目的), field by field: the 备案 / 等保 data
 * sheet (npm run compliance-sheet) prints it. Typed by the tables' own row types, so a table or a
 * field added without its purpose does not compile (and compliance.test.ts checks the schemas too).
 */
export interface TablePurpose<T extends SyncedTable> {
  /** The table as a form names it. */
  name: string
  /** Why it is kept. */
  purpose: string
  /** Who sees it (the server enforces it: server/sync/tables). */
  seenBy: string
  fields: Record<keyof SyncedRows[T], string>
}

const ROW = { id: '记录编号（随机生成）', orgId: '所属单位（机关党委）' }
const TIMES = { createdAt: '创建时间', updatedAt: '最后修改时间', deleted: '删除标记（同步删除用）' }

export const DATA_PURPOSES: { [T in SyncedTable]: TablePurpose<T> } = {
  branches: {
    name: '党支部与党小组',
    purpose: '组织架构：按支部安排组织生活、统计台账',
    seenBy: '本单位全体人员（名称）',
    fields: {
      ...ROW,
      name: '支部名称',
      archived: '是否已撤销',
      startedOn: '成立日期（应开展组织生活的起算日）',
      groups: '所属党小组',
      duesCollectorId: '党费收缴员',
    },
  },
  users: {
    name: '人员（党员、书记、管理员）',
    purpose: '识别党员身份、所在支部与角色，安排会议与学习台账',
    seenBy: '本人、本支部书记、管理员；其他人员仅见姓名与支部',
    fields: {
      ...ROW,
      branchId: '所在党支部',
      name: '姓名',
      role: '角色（党员、支部书记、管理员）',
      removed: '是否已离开本单位',
      groupId: '所在党小组',
      committee: '是否支部委员（支部委员会应到人员）',
      joinedPartyOn: '入党日期（党龄、政治生日）',
      fullMemberOn: '转正日期（党龄）',
    },
  },
  study_records: {
    name: '学习记录',
    purpose: '党员自行记录学习，形成学习台账；时长为本人自报，不用于排名或考核',
    seenBy: '本人、本支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      ownerId: '记录人',
      branchId: '记录人所在支部',
      kind: '学习类型',
      title: '学习内容',
      date: '学习日期',
      minutes: '时长（分钟，本人自报）',
      notes: '心得体会',
      sourceUrl: '学习材料链接',
    },
  },
  oath_renewals: {
    name: '重温入党誓词记录',
    purpose: '政治生日当天重温入党誓词的记录（自愿）',
    seenBy: '本人、本支部书记、管理员',
    fields: { ...ROW, ownerId: '本人', branchId: '所在支部', date: '日期', createdAt: '创建时间', deleted: '删除标记' },
  },
  reminder_settings: {
    name: '提醒设置',
    purpose: '本人选择接收哪些提醒及免打扰时段',
    seenBy: '仅本人',
    fields: {
      ...ROW,
      birthday: '政治生日提醒',
      branchWeekAhead: '书记每周政治生日名单',
      meetingTomorrow: '会议前一天提醒',
      studyGap: '本月未记学习提醒（自愿开启）',
      unsynced: '未同步内容提醒',
      quietStart: '免打扰开始',
      quietEnd: '免打扰结束',
      channels: '提醒送达方式及先后（推送、企业微信、短信）',
      updatedAt: '最后修改时间',
    },
  },
  meetings: {
    name: '会议（三会一课、主题党日等）',
    purpose: '组织生活的安排、记录与台账',
    seenBy: '应到人员、所在支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '所属支部',
      type: '会议类型',
      topic: '主题',
      startsAt: '开始时间',
      durationMinutes: '时长',
      place: '地点',
      organiserId: '组织人',
      speaker: '主讲人',
      expectedIds: '应到人员',
      agenda: '议程',
      minutes: '会议记录',
      talkWithId: '谈心谈话对象',
      photoIds: '会议照片',
      signKey: '签到二维码签名密钥（防伪）',
    },
  },
  attendance: {
    name: '会议考勤（签到、请假）',
    purpose: '会议出勤台账；签到仅用于会议，不是每日打卡',
    seenBy: '本人、所在支部书记、管理员',
    fields: {
      ...ROW,
      branchId: '所属支部',
      meetingId: '会议',
      memberId: '人员',
      status: '出勤情况',
      method: '签到方式（扫码或代签）',
      signedAt: '签到时间',
      leaveReason: '请假事由',
      leaveState: '请假审批状态',
      markedBy: '代签或审批人',
      note: '备注',
      updatedAt: '最后修改时间',
    },
  },
  makeups: {
    name: '补学',
    purpose: '缺席会议后的补学记录及书记确认',
    seenBy: '本人、所在支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '所属支部',
      memberId: '补学人',
      meetingId: '所补会议',
      content: '补学内容',
      date: '补学日期',
      notes: '心得',
      confirmedBy: '确认人',
      confirmedAt: '确认时间',
    },
  },
  households: {
    name: '双联系困难户',
    purpose: '党员联系服务群众（一线走访）；困难情况属敏感的第三方个人信息，仅联系人、书记与管理员可见',
    seenBy: '联系党员、所在支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '负责支部',
      name: '户主姓名',
      address: '住址',
      village: '村（社区）',
      contact: '联系方式',
      situation: '家庭困难情况（敏感）',
      needs: '诉求',
      memberIds: '联系党员',
      informedOn: '已告知困难户其信息的处理（告知日期）',
      informedBy: '告知人',
    },
  },
  visits: {
    name: '一线走访记录',
    purpose: '走访情况、发现问题与承诺事项的台账',
    seenBy: '同行党员、所在支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '所属支部',
      householdId: '走访对象',
      place: '地点',
      visitedAt: '走访时间',
      memberIds: '同行党员',
      findings: '了解到的情况',
      problems: '反映的问题',
      location: '位置（仅在本人点选时记录）',
      photoIds: '现场照片',
      createdBy: '记录人',
    },
  },
  followups: {
    name: '承诺事项',
    purpose: '走访中承诺办理的事项，到期提醒与办结',
    seenBy: '责任人、同行党员、所在支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '所属支部',
      householdId: '走访对象',
      visitId: '所属走访',
      text: '事项',
      ownerId: '责任人',
      dueOn: '办理期限',
      closedAt: '办结时间',
      closeNote: '办结说明',
    },
  },
  feedback: {
    name: '投诉建议',
    purpose: '党员向机关党委提出投诉或建议并得到答复（政务移动应用须设投诉建议功能）',
    seenBy: '本人、管理员（匿名的不向支部透露提交人）',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '提交人所在支部',
      authorId: '提交人',
      category: '类别（投诉或建议）',
      text: '内容',
      anonymous: '是否对支部匿名',
      answer: '答复',
      answeredBy: '答复人',
      answeredAt: '答复时间',
    },
  },
  outside_trainings: {
    name: '其他培训（学时）',
    purpose: '党员参加组织安排的党校、网络等培训，书记确认后计入学时（学习时长不作考核依据）',
    seenBy: '本人、本支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '所在支部',
      memberId: '党员',
      kind: '培训类型',
      title: '培训名称',
      organiser: '举办单位',
      startOn: '开始日期',
      endOn: '结束日期',
      minutes: '培训时长',
      photoIds: '结业证书照片',
      notes: '备注',
      confirmedBy: '确认人（支部书记）',
      confirmedAt: '确认时间',
    },
  },
  dues_profiles: {
    name: '党费基数申报',
    purpose: '按规定计算每月应交党费（个人收入属个人财产信息，单独同意后填写）',
    seenBy: '本人、本支部党费收缴员、支部书记、管理员',
    fields: {
      ...ROW,
      branchId: '所在支部',
      memberId: '党员',
      category: '党费类别（在职、离退休、学生等）',
      baseFen: '党费基数（税后固定月收入或基本离退休费）',
      fromMonth: '起交月份',
      checkedOn: '核定日期',
      declaredBy: '申报或录入人',
      updatedAt: '最后修改时间',
    },
  },
  dues_payments: {
    name: '党费收缴记录',
    purpose: '记录党员本人交纳党费并开具收据，生成党费收缴台账',
    seenBy: '本人、本支部党费收缴员、支部书记、管理员',
    fields: {
      ...ROW,
      ...TIMES,
      branchId: '收缴支部',
      memberId: '交纳党员',
      kind: '交纳方式（按月、按季、补交、特殊党费）',
      months: '所交月份',
      amountFen: '金额',
      method: '收款方式（现金、转账）',
      receivedOn: '收款日期',
      notes: '备注',
      category: '计算时的党费类别',
      baseFen: '计算时的党费基数',
      monthlyFen: '每月应交金额',
      collectorId: '收缴员',
      receiptNo: '收据号',
    },
  },
}

/**
 * What the server keeps besides the synced tables: every database table is either synced (above),
 * here, or internal (below) — compliance.test.ts lists the real database's tables and fails on
 * one that is in neither.
 */
export const SERVER_STORES: Record<string, { name: string; purpose: string; items: string; kept: string }> = {
  users: {
    name: '人员（仅服务器保存的部分）',
    purpose: '登录与身份鉴别；党员管理',
    items:
      '手机号（登录账号）、口令散列、口令是否过弱（登录时判断）、两步验证密钥（加密）、企业微信账号（提醒用）、人员类别（正式/预备党员）、备注、是否班子成员、激活状态',
    kept: '人员移除后保留组织关系记录',
  },
  organizations: { name: '单位', purpose: '本单位名称与组织生活要求', items: '名称、频次要求、创建时间', kept: '长期' },
  sessions: {
    name: '登录会话',
    purpose: '保持登录、让本人查看并退出其他设备',
    items: '会话令牌的散列、浏览器标识、登录与最近使用时间（最多每 5 分钟记一次，不统计在线时长）',
    kept: '180 天未使用即失效',
  },
  audit_log: {
    name: '审计日志',
    purpose: '安全审计（等级保护）：管理操作、登录、导出等',
    items: '操作人、事件、内容摘要、IP 地址、浏览器标识、时间',
    kept: '按 AUDIT_RETENTION_DAYS（至少 180 天）',
  },
  activation_codes: { name: '激活码', purpose: '首次设置或重置密码', items: '激活码的散列、发放人、有效期', kept: '使用或过期后失效' },
  recovery_codes: {
    name: '两步验证恢复码',
    purpose: '验证器不可用时代替验证码登录',
    items: '恢复码的散列、使用时间',
    kept: '重新生成或重置时删除',
  },
  login_challenges: { name: '两步登录中间状态', purpose: '密码已验证、等待验证码', items: '令牌散列、人员、浏览器标识', kept: '5 分钟' },
  attempt_counters: { name: '登录尝试计数', purpose: '防止暴力破解', items: '手机号或 IP 地址、每分钟次数', kept: '约 2 分钟' },
  attempt_failures: { name: '登录失败记录', purpose: '连续失败后锁定账号', items: '手机号、连续失败次数、锁定截止时间', kept: '1 天' },
  push_subscriptions: {
    name: '手机通知订阅',
    purpose: '向本人开启通知的手机发送提醒',
    items: '推送服务地址与密钥、浏览器标识',
    kept: '本人关闭或退出登录即删除',
  },
  reminders_sent: { name: '已发送提醒', purpose: '同一提醒只发一次', items: '人员、提醒类型、日期', kept: '长期（无内容）' },
  calendar_feeds: {
    name: '日历订阅链接',
    purpose: '在手机自带日历中订阅会议',
    items: '链接密钥的散列、人员',
    kept: '本人重置或停用即失效',
  },
  party_groups: { name: '党小组', purpose: '组织架构', items: '名称、所属支部', kept: '长期' },
  membership_events: {
    name: '组织关系变动',
    purpose: '转入、转出、调整支部的记录',
    items: '人员、日期、转出与转入支部、说明',
    kept: '长期',
  },
  photos: {
    name: '照片',
    purpose: '走访和会议现场照片（文件存于服务器 DATA_DIR/photos）',
    items: '照片文件、所属记录、上传人',
    kept: '随所属记录；走访照片按 RETENTION_VISIT_PHOTO_YEARS 删除',
  },
  consent_events: {
    name: '个人信息保护说明确认与单独同意',
    purpose: '记录本人确认说明及位置、党费基数等单独同意与撤回（个人信息保护法）',
    items: '人员、事项、版本、同意或撤回、时间',
    kept: '长期（只增不改）',
  },
  training_profiles: {
    name: '学时标记',
    purpose: '标明乡科级及以下干部（另有 90 学时要求）或年老体弱不作硬性要求的党员',
    items: '人员、是否干部、是否免于硬性要求、修改人与时间',
    kept: '长期',
  },
  dues_paid_months: {
    name: '党费已交月份',
    purpose: '保证同一党员同一月份只收一次党费',
    items: '党员、月份、收据编号',
    kept: '随党费收缴记录',
  },
  reminder_failures: {
    name: '提醒发送失败记录',
    purpose: '管理员查看哪些提醒未能送达及原因',
    items: '人员、提醒类型、送达方式、原因、时间',
    kept: '90 天',
  },
}

/** Tables of the machinery, with no personal information of their own. */
export const INTERNAL_TABLES: Record<string, string> = {
  meta: '服务器设置（通知签名密钥、两步验证加密密钥（未设 SECRET_KEY 时）、数据库代次）',
  counters: '变更序号',
  mutations: '已处理的同步请求编号（防止重复提交）',
  kysely_migration: '数据库结构版本',
  kysely_migration_lock: '数据库结构升级锁',
}
