/**
 * Every error the API can answer with, and the Chinese message a user reads.
 * Shape on the wire: `{ "error": { "code": ErrorCode, "message": string } }`.
 */
export const ERROR_MESSAGES = {
  bad_request: '请求格式不正确',
  validation: '填写的内容不符合要求',
  unauthorized: '登录已失效，请重新登录',
  signed_out: '此设备已被退出登录，本机保存的该账号数据已清除',
  activation_invalid: '激活码不正确或已过期，请向党支部书记重新获取',
  forbidden: '您没有权限进行此操作',
  not_found: '请求的内容不存在',
  conflict: '数据冲突，请刷新后重试',
  upload_offset: '照片上传位置不符，将从服务器已收到的位置继续',
  deleted: '该记录已在另一台设备上删除',
  rate_limited: '尝试次数过多，请稍后再试',
  invalid_credentials: '账号或密码不正确',
  two_factor_invalid: '验证码不正确或已使用过，请输入验证器上的新验证码',
  two_factor_expired: '登录已超时，请重新输入密码',
  two_factor_required: '管理员须先设置两步验证，才能进行其他操作',
  reauth_required: '较长时间未进行管理操作，为安全起见，请重新登录',
  already_set_up: '系统已完成初始化',
  payload_too_large: '提交的内容过大',
  unsupported_version: '客户端版本过旧，请刷新应用',
  reset_required: '服务器已从备份恢复，正在重新同步',
  waiting: '相关的会议或走访记录还没有同步到服务器，联网后会自动重试',
  internal: '服务器暂时出现问题，请稍后重试',
  unavailable: '服务器正在重启，请稍后重试',
  storage_full: '服务器存储空间已满，内容未能保存，请联系管理员清理服务器空间后再试',
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string }
}

export function errorBody(code: ErrorCode, message?: string): ApiErrorBody {
  return { error: { code, message: message ?? ERROR_MESSAGES[code] } }
}
