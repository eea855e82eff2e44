import { createHttpClient, type HttpClient } from './http.ts'
import type { BodyOf, ResponseOf } from '../../core/contracts/contract.ts'
import type * as training from '../../core/contracts/training.ts'

/** 学时 calls (settings, flags), apart from the app shell's client: loaded with the 学时 pages only. */
export function trainingEndpoints(http: HttpClient) {
  return {
    training: () => http.get<ResponseOf<typeof training.training>>('/api/org/training'),
    setTraining: (settings: BodyOf<typeof training.setTraining>['settings']) =>
      http.post<ResponseOf<typeof training.setTraining>>('/api/admin/training', { settings }),
    setFlags: (id: string, flags: BodyOf<typeof training.setTrainingFlags>) =>
      http.post<ResponseOf<typeof training.setTrainingFlags>>(`/api/training/flags/${encodeURIComponent(id)}`, flags),
  }
}

export const trainingApi = trainingEndpoints(createHttpClient())
