import { showConfirmDialog } from 'vant'
import 'vant/es/dialog/style'

/** Ask before an administrative act: true when confirmed. */
export async function confirmAct(message: string): Promise<boolean> {
  try {
    await showConfirmDialog({ title: '请确认', message, confirmButtonText: '确定', cancelButtonText: '取消' })
    return true
  } catch {
    return false
  }
}
