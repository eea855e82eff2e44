/** Sync states and failure reasons as named values, each mapped to what the user reads. */
export type SyncState = 'idle' | 'syncing' | 'offline' | 'error'
/**
 * `server-storage-full`: the server has no room left (507 storage_full): nothing was lost, the
 * outbox waits. `unexpected`: anything else the engine met (a fault in this app or its storage): never silent.
 */
export type SyncFailure = 'network' | 'unauthorized' | 'signed-out' | 'server' | 'server-storage-full' | 'storage-full' | 'unexpected'

export const FAILURE_TEXT: Record<SyncFailure, string> = {
  network: '暂无网络，联网后将自动同步',
  unauthorized: '登录已失效，请重新登录以继续同步（本机数据不会丢失）',
  'signed-out': '此设备已在别处被退出登录，本机保存的该账号数据已清除',
  server: '服务器暂时不可用，稍后自动重试',
  'server-storage-full': '服务器存储空间已满，修改已保留在手机上，管理员清理空间后会自动同步',
  'storage-full': '手机存储空间不足，请清理后重试',
  unexpected: '同步时出了问题，稍后会自动重试；如果一直这样，请联系管理员',
}

export const STATE_TEXT: Record<SyncState, string> = {
  idle: '已同步',
  syncing: '正在同步…',
  offline: '离线',
  error: '同步未完成',
}

export type SyncOutcome = { ok: true } | { ok: false; failure: SyncFailure }
