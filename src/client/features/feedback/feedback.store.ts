import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { Feedback } from '../../../core/schemas/entities.ts'
import { useLiveQuery } from '../../db/live.ts'
import { useSessionStore } from '../../session/session.store.ts'
import { answerFeedback, feedbackForAnswering, myFeedback, submitFeedback, withdrawFeedback, type FeedbackInput } from './feedback.repo.ts'

/** 投诉建议 on this phone: the member's own; every item for administrators (who answer them). */
export const useFeedbackStore = defineStore('feedback', () => {
  const session = useSessionStore()
  const mine = useLiveQuery<Feedback[]>(
    async () => (session.db && session.user ? myFeedback(session.db, session.user.id) : []),
    [],
    [() => session.db],
  )
  const toAnswer = useLiveQuery<Feedback[]>(
    async () => (session.db && session.isAdmin ? feedbackForAnswering(session.db) : []),
    [],
    [() => session.db],
  )
  const waiting = computed(() => toAnswer.value.filter((f) => !f.answeredAt).length)

  const need = () => {
    if (!session.db || !session.user) throw new Error('请先登录')
    return { db: session.db, user: session.user }
  }
  const submit = (input: FeedbackInput): Promise<string> => submitFeedback(need().db, need().user, input)
  const withdraw = (id: string): Promise<void> => withdrawFeedback(need().db, id)
  const answer = (id: string, text: string): Promise<void> => answerFeedback(need().db, need().user, id, text)
  return { mine, toAnswer, waiting, submit, withdraw, answer }
})
