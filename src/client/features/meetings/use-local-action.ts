import { ref } from 'vue'

/**
 * A change a page makes on the phone (a mark, an approval, a confirmation): the words to show
 * once it is saved, or why it was not.
 */
export function useLocalAction() {
  const message = ref<string | null>(null)
  const error = ref<string | null>(null)
  async function act(work: () => Promise<unknown>, done: string): Promise<void> {
    error.value = null
    message.value = null
    try {
      await work()
      message.value = done
    } catch (err) {
      error.value = err instanceof Error ? err.message : '保存失败'
    }
  }
  return { message, error, act }
}

/** The `act` of a page's useLocalAction, handed to its parts so that they report in the page's one message line. */
export type LocalAction = ReturnType<typeof useLocalAction>['act']
