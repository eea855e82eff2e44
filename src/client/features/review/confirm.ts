import { showConfirmDialog } from 'vant'

/** Asks before a step that cannot be undone (hand-in, a ballot, closing the ballot): true when confirmed. */
export async function confirmStep(title: string, message: string, confirmButtonText: string): Promise<boolean> {
  try {
    await showConfirmDialog({ title, message, confirmButtonText, cancelButtonText: '再想想' })
    return true
  } catch {
    return false
  }
}
