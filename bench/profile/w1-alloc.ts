/**
 * Where a W1 training step's fresh typed arrays come from: the bytes and number of typed arrays
 * constructed per step (by the constructor, `from`, `of`, `slice`; views on a buffer not counted),
 * by the caller's frames: `tsx bench/profile/w1-alloc.ts [fit|steps]` (`fit`: one epoch of 512
 * examples in batches of 128, as the train suite; `steps`: `Train.trainStep` on one batch).
 *
 * Measured (2 threads): `fit` made 3059 KiB in 28 arrays a step: the new parameters 794 (SGD),
 * the batch's rows 784, the matrix products 1060 (the weight gradient 784), the bias adds 138,
 * relu and its pullback 128 each, the loss 20. With SGD writing the new parameters over the
 * gradients inside the step: 2264 KiB in 24 arrays; with the batches gathered into one array
 * per `fit` call (a model that borrows its input): 1676 (the array is 784 KiB a call of 4 steps);
 * with the weight gradients taking the arrays of the parameters two steps old (from the third step
 * of a `fit` call on): 1279; with the dense layer adding its bias over its product: 1139 in 16.
 * With every array a sealed step made lent to the next step and the next `fit` of the job (the
 * activations, their cotangents, the products, the loss's gradient, the batch array:
 * kernels/spares.ts): 213 KiB in 9.4, of which 157 the one weight array each `fit` returns.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')

const bytes = new Map<string, { n: number; bytes: number }>()
let on = false
const record = (b: number): void => {
  if (!on) return
  const st = (new Error().stack ?? '').split('\n').slice(3, 7).map((l) => l.trim().replace(/^at /, '').replace(/\(.*\/(src|bench)\//, '($1/')).join(' < ')
  const e = bytes.get(st) ?? { n: 0, bytes: 0 }
  e.n++
  e.bytes += b
  bytes.set(st, e)
}
for (const name of ['Float64Array', 'Int32Array', 'Uint8Array', 'Float32Array'] as const) {
  const Base = globalThis[name] as unknown as Float64ArrayConstructor
  class Counted extends Base {
    constructor(...a: unknown[]) {
      // @ts-expect-error spread into typed array constructor
      super(...a)
      if (!(a[0] instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== 'undefined' && a[0] instanceof SharedArrayBuffer)) record(this.byteLength)
    }
  }
  ;(globalThis as Record<string, unknown>)[name] = Counted
}
const { w1Trainer, fitTrainer } = await import('../train/w1.js')
const mode = process.argv[2] ?? 'steps'
const steps = w1Trainer()
const fit = fitTrainer()
const run = mode === 'fit' ? () => fit() : () => steps.run(4)
for (let i = 0; i < 5; i++) run()
on = true
const reps = 10
for (let i = 0; i < reps; i++) run()
on = false
const per = reps * 4
const rows = [...bytes].sort((a, b) => b[1].bytes - a[1].bytes)
let tb = 0, tn = 0
for (const [, v] of rows) { tb += v.bytes; tn += v.n }
console.log(`${mode}: per step ${(tb / per / 1024).toFixed(1)} KiB in ${(tn / per).toFixed(1)} typed arrays`)
for (const [k, v] of rows.slice(0, 30)) console.log(`${(v.bytes / per / 1024).toFixed(1).padStart(8)} KiB ${(v.n / per).toFixed(2).padStart(6)}x  ${k}`)
