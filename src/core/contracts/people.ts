import * as v from 'valibot'
import { contract } from './contract.ts'
import { Uuid } from '../schemas/common.ts'
import {
  IdParams,
  IssuedCode,
  MembershipEvent,
  MoveInput,
  Person,
  PersonInput,
  PersonPatch,
  RemoveInput,
  RoleInput,
} from '../schemas/people.ts'

/** People, as administrators (the whole organisation) and branch secretaries (their own branch) manage them. */
const PersonReply = v.object({ person: Person })
const SignedOut = v.object({ signedOut: v.number() })

export const people = contract({ method: 'GET', path: '/api/admin/people', response: v.object({ people: v.array(Person) }) })
export const createPerson = contract({
  method: 'POST',
  path: '/api/admin/people',
  body: PersonInput,
  response: v.object({ person: Person, activation: IssuedCode }),
})
export const updatePerson = contract({
  method: 'POST',
  path: '/api/admin/people/:id',
  params: IdParams,
  body: PersonPatch,
  response: PersonReply,
})
export const setRole = contract({
  method: 'POST',
  path: '/api/admin/people/:id/role',
  params: IdParams,
  body: RoleInput,
  response: PersonReply,
})
export const movePerson = contract({
  method: 'POST',
  path: '/api/admin/people/:id/move',
  params: IdParams,
  body: MoveInput,
  response: PersonReply,
})
export const removePerson = contract({
  method: 'POST',
  path: '/api/admin/people/:id/remove',
  params: IdParams,
  body: RemoveInput,
  response: v.object({ removed: v.literal(true) }),
})
export const issueActivation = contract({
  method: 'POST',
  path: '/api/admin/people/:id/activation',
  params: IdParams,
  response: v.object({ activation: IssuedCode }),
})
/** A fresh batch of activation codes: one branch, or (administrators, no branch given) everyone. */
export const issueBatch = contract({
  method: 'POST',
  path: '/api/admin/activation/batch',
  body: v.object({ branchId: v.optional(Uuid) }),
  response: v.object({ activations: v.array(IssuedCode) }),
})
export const signOutPerson = contract({ method: 'POST', path: '/api/admin/people/:id/sign-out', params: IdParams, response: SignedOut })
export const personEvents = contract({
  method: 'GET',
  path: '/api/admin/people/:id/events',
  params: IdParams,
  response: v.object({ events: v.array(MembershipEvent) }),
})
