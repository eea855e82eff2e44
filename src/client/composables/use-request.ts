import { ref } from 'vue'
import { errorText } from './error-text.ts'

/** A form's request to the server: a busy flag and the message to show if it fails. */
export function useRequest(offlineText?: string) {
  const busy = ref(false)
  const error = ref<string | null>(null)
  async function run(work: () => Promise<void>): Promise<void> {
    error.value = null
    busy.value = true
    try {
      await work()
    } catch (err) {
      error.value = errorText(err, offlineText)
    } finally {
      busy.value = false
    }
  }
  return { busy, error, run }
}
