/**
 * Issue 11's steps and their parts timed side by side in one process (medians of rounds):
 * `tsx bench/profile/program-compare.ts`.
 *
 * Where the program step's time goes against the combinator's (2 threads, quiet machine): the
 * matrix products are the same five and take ~1.2 ms in both. The ordinary update on top of
 * `valueAndGrad` took ~0.25 ms, the update writing over its gradients (then `Optimizer.donateGrads`, now inside
 * `Program.trainStep`) ~0.09, as the
 * combinator's own. Timed alone, the program's gradient took 1.76 ms against 1.49-1.54 for
 * `Train.lossAndGrad`: the softmax cross-entropy written with the algebra's operations (128 us
 * for `valueAndGrad` of it alone on [128, 10], against 27 for `Loss.softmaxCrossEntropy`, one
 * kernel), the bias adds' fresh arrays (the layer adds over its product), the tape's bookkeeping,
 * and the elementwise passes and products running slower in the program (memory colder).
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { steps } = await import('./program-steps.js')
const { compare } = await import('../harness.js')
const s = steps()
const m = compare(s, { rounds: 9, minMs: 200 })
console.log(Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(3)} ms`).join(', '), `program / combinator ${(m.program / m.combinator).toFixed(3)}`)
