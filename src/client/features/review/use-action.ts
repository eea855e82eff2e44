import { ref } from 'vue'
import { errorText } from '../../composables/error-text.ts'
import { ApiError } from '../../api/http.ts'

/** A change a review page makes: the words to show once done, or why it was not (the server's reason, or no connection). */
export function useAction() {
  const message = ref<string | null>(null)
  const error = ref<string | null>(null)
  async function act(work: () => Promise<unknown>, done: string): Promise<boolean> {
    error.value = null
    message.value = null
    try {
      await work()
      message.value = done
      return true
    } catch (err) {
      const local = err instanceof Error && err.name === 'ValidationError'
      error.value = local || err instanceof ApiError ? (err as Error).message : errorText(err)
      return false
    }
  }
  return { message, error, act }
}
export type Act = ReturnType<typeof useAction>['act']
