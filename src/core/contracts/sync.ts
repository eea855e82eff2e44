import { contract } from './contract.ts'
import { PullQuery, PullResponse, PushRequest, PushResponse } from '../sync/protocol-schema.ts'

/** The sync protocol's two routes (docs/sync.md); their messages are defined in core/sync. */
export const push = contract({ method: 'POST', path: '/api/sync/push', body: PushRequest, response: PushResponse })
export const pull = contract({ method: 'GET', path: '/api/sync/pull', query: PullQuery, response: PullResponse })
