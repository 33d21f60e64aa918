/**
 * Issue 11's steps and their parts timed side by side in one process (medians of rounds):
 * `tsx bench/profile/program-compare.ts`.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { steps } = await import('./program-steps.js')
const { compare } = await import('../harness.js')
const s = steps()
const m = compare(s, { rounds: 9, minMs: 200 })
console.log(Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(3)} ms`).join(', '), `program / combinator ${(m.program / m.combinator).toFixed(3)}`)
