import { v7 as uuidv7, validate, version } from 'uuid'

/** Client-made ids: UUIDv7 (time-ordered, globally unique). Never auto-increment. */
export function newId(): string {
  return uuidv7()
}

export function isUuid(value: string): boolean {
  return validate(value) && [4, 5, 7].includes(version(value))
}
