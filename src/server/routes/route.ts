import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify'
import * as v from 'valibot'
import type { Contract, ParsedOf } from '../../core/contracts/contract.ts'
import { parseInput } from '../lib/http-error.ts'
import { requireViewer } from '../plugins/auth.ts'
import { requireAdmin, requireManager } from '../services/admin/scope.ts'
import type { Viewer } from '../lib/viewer.ts'

/** Who may call a route besides anyone (publicRoute): any signed-in person, branch secretaries and administrators, administrators. */
export type Access = 'viewer' | 'manager' | 'admin'

/** What a handler is given: the request, checked against its contract. */
export interface RouteInput<C extends Contract, V, P> {
  request: FastifyRequest
  reply: FastifyReply
  /** Who is asking (null on a public route). */
  viewer: V
  params: ParsedOf<C, 'params'>
  query: ParsedOf<C, 'query'>
  body: ParsedOf<C, 'body'>
  /** What `before` returned. */
  pre: P | undefined
}

/** A JSON route answers with its response schema's shape; a file route sends through the reply itself. */
export type RouteReply<C extends Contract> = C['response'] extends v.GenericSchema ? v.InferInput<C['response']> : FastifyReply

export interface RouteOptions<C extends Contract, V, P> {
  /** Runs after the access check and before validation (a rate limit that counts bad requests too; a body rewritten before it is checked). */
  before?: (request: FastifyRequest, reply: FastifyReply, viewer: V) => P | Promise<P>
  /** Fastify's own route options (a rate limit's `config`). */
  config?: RouteShorthandOptions['config']
  handler: (input: RouteInput<C, V, P>) => Promise<RouteReply<C>>
}

/** In tests every JSON answer is also checked against its contract: a handler cannot drift from what the client expects. */
const CHECK_RESPONSES = process.env.VITEST !== undefined

function viewerFor(request: FastifyRequest, access: Access): Viewer {
  const viewer = requireViewer(request)
  if (access === 'manager') requireManager(viewer)
  if (access === 'admin') requireAdmin(viewer)
  return viewer
}

// The schema is the contract's own, so its output is the part's parsed type (TypeScript cannot follow the conditional type).
const parsePart = <C extends Contract, K extends 'params' | 'query' | 'body'>(c: C, key: K, raw: unknown): ParsedOf<C, K> => {
  const schema = c[key]
  return (schema ? parseInput(schema, raw) : undefined) as ParsedOf<C, K>
}

const DECLARED = new WeakMap<FastifyInstance, string[]>()

/** The routes declared with a contract, as "METHOD /path" (the tests check that every API route is). */
export const contractRoutes = (app: FastifyInstance): readonly string[] => DECLARED.get(app) ?? []

/**
 * Declares a route from its contract. In order: `guard` (the access check: 401/403), `before`,
 * then the path parameters, query and body against the contract's schemas (bad input: 400
 * `validation` with the schema's Chinese message, see parseInput), then the handler, whose answer
 * is typed by the contract's response schema.
 */
function declare<C extends Contract, V, P>(
  app: FastifyInstance,
  c: C,
  guard: (request: FastifyRequest) => V,
  opts: RouteOptions<C, V, P>,
): void {
  DECLARED.set(app, [...contractRoutes(app), `${c.method} ${c.path}`])
  app.route({
    method: c.method,
    url: c.path,
    ...(opts.config !== undefined && { config: opts.config }),
    handler: async (request, reply) => {
      const viewer = guard(request)
      const pre = opts.before ? await opts.before(request, reply, viewer) : undefined
      const params = parsePart(c, 'params', request.params)
      const query = parsePart(c, 'query', request.query)
      const body = parsePart(c, 'body', request.body)
      const answer = await opts.handler({ request, reply, viewer, params, query, body, pre })
      if (CHECK_RESPONSES && c.response) {
        const checked = v.safeParse(c.response, answer)
        if (!checked.success)
          throw new Error(`${c.method} ${c.path}: the answer does not match its contract: ${v.summarize(checked.issues)}`)
      }
      return answer
    },
  })
}

/** A route for signed-in people (`access`: anyone signed in, managers, administrators). */
export function route<const C extends Contract, P = undefined>(
  app: FastifyInstance,
  c: C,
  opts: RouteOptions<C, Viewer, P> & { access: Access },
): void {
  declare(app, c, (request) => viewerFor(request, opts.access), opts)
}

/** A route anyone may call (setup, sign-in, health, the calendar feed by its secret name). */
export function publicRoute<const C extends Contract, P = undefined>(app: FastifyInstance, c: C, opts: RouteOptions<C, null, P>): void {
  declare(app, c, () => null, opts)
}
