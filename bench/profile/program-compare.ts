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
 *
 * Then (this session, `node --cpu-prof` of program-cpu.ts, self time per step, trainStep against
 * combinator): the matrix products the same (~0.98 ms); the bias adds' pass 114-137 us in the
 * program (binaryBroadcast, fresh or lent array alike) against the layer's in-place add; waiting
 * for the kernel thread 0.21 against 0.11 ms; GC 0.12 against 0.04 ms; the cross-entropy 39 us
 * against 8 (two passes, value then pullback, against the loss's one); the trees of arguments and
 * gradients ~30-60 us. Lending the spent cotangents' arrays to the next step: 4-7% off the step
 * (program-lend.ts: lending / fresh 0.93-0.96, lending / combinator 1.15-1.17).
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { steps } = await import('./program-steps.js')
const { compare } = await import('../harness.js')
const s = steps()
const m = compare(s, { rounds: 9, minMs: 200 })
console.log(Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(3)} ms`).join(', '), `program / combinator ${(m.program / m.combinator).toFixed(3)}`)
