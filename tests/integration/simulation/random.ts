export { seededRandom as seeded, pick } from '../../../src/core/seeded-random.ts'

export const chance = (rand: () => number, p: number): boolean => rand() < p
