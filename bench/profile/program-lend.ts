/**
 * `Program.trainStep` with and without the arrays of the cotangents its previous sweeps spent
 * lent to its kernels (emptying the pool before each call disables it), interleaved in one
 * process (medians of rounds): `tsx bench/profile/program-lend.ts`.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { steps } = await import('./program-steps.js')
const { compare } = await import('../harness.js')
const { takeUp } = await import('../../src/kernels/spares.js')
const s = steps()
const m = compare({ lending: s.trainStep, fresh: () => (takeUp(), s.trainStep()), combinator: s.combinator }, { rounds: 11, minMs: 200 })
console.log(Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(3)} ms`).join(', '), `lending / fresh ${(m.lending / m.fresh).toFixed(3)}, lending / combinator ${(m.lending / m.combinator).toFixed(3)}, fresh / combinator ${(m.fresh / m.combinator).toFixed(3)}`)
