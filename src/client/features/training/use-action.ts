import { ref } from 'vue'
import { errorText } from '../../composables/error-text.ts'
import { ApiError, NetworkError } from '../../api/http.ts'

/** A change made from a 学时 page: the words to show once it is done, or why it was not. */
export function useAction() {
  const message = ref<string | null>(null)
  const error = ref<string | null>(null)
  const busy = ref(false)
  async function act(work: () => Promise<unknown>, done: string): Promise<boolean> {
    error.value = null
    message.value = null
    busy.value = true
    try {
      await work()
      message.value = done
      return true
    } catch (err) {
      // The phone's own refusals (a field missing, storage full) say why themselves; a request, what the server said or that there was no answer.
      error.value = err instanceof ApiError || err instanceof NetworkError || !(err instanceof Error) ? errorText(err) : err.message
      return false
    } finally {
      busy.value = false
    }
  }
  return { message, error, busy, act }
}
