import type * as v from 'valibot'

/**
 * A REST route as both ends see it: its method and path, the schemas of what it takes (path
 * parameters, query, JSON body) and of the JSON it answers. The server validates the request with
 * these schemas before the handler runs and types the handler's answer from `response`; the client
 * types its calls from them. Routes that answer with a file (xlsx, ICS, a photo) declare no
 * `response`; a binary upload (a photo chunk) declares no `body`.
 */
export interface Contract {
  readonly method: 'GET' | 'POST' | 'PUT'
  readonly path: `/api/${string}`
  readonly params?: v.GenericSchema
  readonly query?: v.GenericSchema
  readonly body?: v.GenericSchema
  readonly response?: v.GenericSchema
}

/** Declares a contract, keeping its exact schemas in its type. */
export const contract = <const C extends Contract>(c: C): C => c

type Part = 'params' | 'query' | 'body' | 'response'
type SchemaOf<C extends Contract, K extends Part> = C[K] extends v.GenericSchema ? C[K] : never

/** What the caller sends (before the schema's transforms: a phone number as typed). */
export type RequestOf<C extends Contract, K extends 'params' | 'query' | 'body'> = v.InferInput<SchemaOf<C, K>>
/** What the server works with once the request passed the schema. */
export type ParsedOf<C extends Contract, K extends 'params' | 'query' | 'body'> = C[K] extends v.GenericSchema
  ? v.InferOutput<C[K]>
  : undefined
/** The JSON the route answers with. */
export type ResponseOf<C extends Contract> = v.InferOutput<SchemaOf<C, 'response'>>
/** The body a client call sends. */
export type BodyOf<C extends Contract> = RequestOf<C, 'body'>
