import { measureIncrementalPull } from './tests/bench/incremental-pull.ts'
console.log(await measureIncrementalPull(100))
