import type { FastifyInstance } from 'fastify'
import { errorBody } from '../../core/errors.ts'

/** How long close waits for requests in flight before it drops the connections still open. */
export const CLOSE_GRACE_MS = 1500
/** What a request refused during close is told to wait (seconds): a restart takes about this long. */
export const CLOSING_RETRY_AFTER_SECONDS = 5
/** How often idle keep-alive connections are closed while closing. */
const SWEEP_MS = 25

/**
 * A close (restart, SIGTERM) that does not wait for keep-alive connections. Node's server.close()
 * closes the connections idle at that instant only; one busy with a request then stays open
 * after its answer until the client or the keep-alive timeout (72 s) closes it. Here, once close
 * begins:
 * - requests in flight are answered as usual, with `Connection: close`;
 * - a request that arrives on a connection still open is refused with 503 `unavailable` and
 *   `Retry-After` (the client keeps its outbox and tries again);
 * - every connection is closed as soon as it is idle;
 * - after `graceMs`, whatever is still open is dropped (its request gets no answer: nothing it
 *   carried was acknowledged, so the client sends it again).
 */
export function registerGracefulClose(app: FastifyInstance, graceMs = CLOSE_GRACE_MS): void {
  let closing = false

  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return
    return reply
      .status(503)
      .header('retry-after', String(CLOSING_RETRY_AFTER_SECONDS))
      .header('connection', 'close')
      .send(errorBody('unavailable'))
  })

  // Answers given while closing end their connection, so no client reuses it.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })

  app.addHook('preClose', (done) => {
    closing = true
    const server = app.server
    // An answer whose headers left before close began (a photo streaming) cannot say
    // `Connection: close`: its connection is closed by the sweep once the answer is complete.
    server.closeIdleConnections()
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS)
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs)
    sweep.unref()
    deadline.unref()
    server.once('close', () => {
      clearInterval(sweep)
      clearTimeout(deadline)
    })
    done()
  })
}
