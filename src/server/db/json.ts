import * as v from 'valibot'

/**
 * JSON kept in text columns (meetings.expected_ids and photo_ids, visits.member_ids and photo_ids,
 * households.member_ids, organizations.rules), read back with its type. The server wrote every
 * one of them after validating it; a value that is not what it should be is a bug, not bad input.
 */
const isIdList = (x: unknown): x is string[] => Array.isArray(x) && x.every((id) => typeof id === 'string')

/** A JSON array of ids (cheap enough for every row of a pull). */
export function idList(json: string): string[] {
  const ids: unknown = JSON.parse(json)
  if (!isIdList(ids)) throw new Error('a JSON id list column holds something else')
  return ids
}

/** Any JSON column read with its schema. */
export function jsonColumn<S extends v.GenericSchema>(schema: S, json: string): v.InferOutput<S> {
  return v.parse(schema, JSON.parse(json))
}
