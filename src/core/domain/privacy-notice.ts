import { DEFAULT_RETENTION, retentionLines, type Retention } from './retention.ts'

/**
 * The 个人信息保护说明 (个人信息保护法 Art.17): what is collected, why, who sees it, how long it is
 * kept, how to export and delete, whom to ask. Versioned: change the text, raise the version, and
 * every member reads and accepts it again at their next opening with a connection (an offline
 * phone is never kept from its data: it asks when it is online again).
 */
export const PRIVACY_NOTICE_VERSION = 2

/** Separate consents (Art.29: sensitive information), asked at the moment of first use, each revocable in 我的. */
export const CONSENT_KINDS = ['location', 'dues-base'] as const
export type ConsentKind = (typeof CONSENT_KINDS)[number]

/** What an acceptance or consent record is about, in the member's words (export, 我的). */
export const CONSENT_LABELS: Record<ConsentKind | 'notice', string> = {
  notice: '个人信息保护说明',
  location: '走访时记录位置',
  'dues-base': '党费缴纳基数',
}

export interface ConsentText {
  title: string
  /** What is asked, why, who sees it; and what happens without it. */
  body: string
  /** Without consent: what the member can still do. */
  without: string
}

export const CONSENT_TEXTS: Record<ConsentKind, ConsentText> = {
  location: {
    title: '是否允许记录走访位置？',
    body: '位置属于敏感个人信息（行踪）。只在您点按“添加位置”时读取一次手机定位，写入这次走访记录，供本支部书记和机关党委管理员核对走访台账；不跟踪、不持续定位，也不会用于考核。',
    without: '不同意也可以正常记录走访，只是不记录位置。您可随时在“我的 › 个人信息与授权”中更改。',
  },
  'dues-base': {
    title: '是否同意记录党费缴纳基数？',
    body: '党费缴纳基数来自您的工资收入，属于敏感个人信息。记录后仅用于按规定计算每月应交党费，仅您本人、本支部党费收缴员、支部书记和机关党委管理员可见。',
    without: '不同意时应用不记录基数，应交党费由党支部按规定核定后登记。您可随时在“我的 › 个人信息与授权”中更改。',
  },
}

export interface NoticeSection {
  title: string
  lines: string[]
}

/**
 * The notice's sections. `retention` is what the server reports it enforces (its configuration),
 * so "保存多久" is never out of step with the retention job; the defaults before it has answered.
 */
export function privacyNotice(retention: Retention = DEFAULT_RETENTION): NoticeSection[] {
  return [
    {
      title: '我们收集哪些信息',
      lines: [
        '账号信息：姓名、手机号、所在党支部和党小组、角色、人员类别、入党日期和转正日期。',
        '您记录的内容：学习记录和心得、会议签到、请假和补学、重温入党誓词、提醒设置。',
        '一线走访：走访情况、反映的问题、承诺事项、您拍摄的照片，以及您同意并点按后才记录的位置。',
        '联系户（困难群众）的情况：由党支部书记登记，登记前应告知本户并在记录中注明由谁告知。',
        '投诉建议：您提交的内容和收到的答复。',
        '党费：党费类别、缴纳基数（您本人申报，或经您所在党支部按工资表登记）和每笔交纳记录（收据）。',
        '登录设备：设备类型和最近使用时间，用于“退出丢失的手机”。',
        '本应用不收集通讯录、不统计在线时长、不做积分排名，也不强制打卡、上传照片或位置。',
      ],
    },
    {
      title: '为什么收集',
      lines: [
        '用于党员学习记录、“三会一课”等组织生活台账、联系服务群众的走访帮扶和承诺事项跟踪、按规定计算和登记党费，以及按您的设置发送提醒。',
        '只用于以上党建工作，不用于其他目的，不向任何第三方提供，不用于广告或商业分析。',
      ],
    },
    {
      title: '谁能看到',
      lines: [
        '您本人能看到自己的全部信息。',
        '党支部书记能看到本支部的学习、会议、走访和联系户记录；机关党委管理员能看到本单位的全部记录。',
        '联系户的信息只有联系该户的党员、本支部书记和机关党委管理员可见。',
        '党费类别、基数和交纳记录只有您本人、本支部党费收缴员、支部书记和机关党委管理员可见。',
        '投诉建议只有您本人和机关党委管理员可见；选择“匿名”时，管理员不会把您的姓名告诉党支部。',
        '数据存放在本单位自己的服务器（中华人民共和国境内）和您的手机上，不使用境外服务或第三方统计。',
      ],
    },
    { title: '保存多久', lines: retentionLines(retention) },
    {
      title: '您的权利',
      lines: [
        '查阅和导出：“我的 › 登录设备与个人数据”可随时导出您的全部数据（JSON 或 Excel）。',
        '更正：入党日期等可在“我的 › 党员信息”中修改；其他信息请联系党支部书记更正。',
        '删除：学习记录、投诉建议（答复前）可自行删除或撤回；注销账号请联系机关党委管理员。',
        '撤回同意：位置、党费基数等单独授权可在“我的 › 个人信息与授权”中随时撤回，撤回后不再收集。',
      ],
    },
    {
      title: '联系我们',
      lines: ['对个人信息处理有疑问或投诉，可联系本单位机关党委管理员，或在“我的 › 投诉建议”中留言，我们会在应用内答复。'],
    },
  ]
}

/** What declining means, shown before the member confirms it. */
export const DECLINE_TEXT =
  '不同意本说明将无法使用党建随行，应用会退出登录（本机数据保留，下次登录同意后即可继续使用）。如有疑问，可先联系本单位机关党委管理员。'
