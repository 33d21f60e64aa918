/**
 * The copies a W1 `fit` step makes into the matrix kernels' WebAssembly memory (one epoch of 512
 * examples in batches of 128, as the train suite): `tsx bench/profile/w1-copies.ts [threads]`.
 * Counts `Float64Array.prototype.set` into the kernels' heap per step, by length, so that an
 * operand copied twice shows. Measured (2 threads, 8 fits): before `kernels/unchanged.ts`, the
 * batch (100352 doubles) went in twice a step, for `x W1` and for `xᵀ dy`, and W1 once; since, the
 * batch goes in once (the backward product reads the copy kept from the forward one). Measured:
 * 100352 doubles (the batch, W1) 3.00 -> 2.00 copies a step; 16384 (the hidden layer, its
 * cotangent) 3.00 and 1280 (W2, the output's cotangent) 4.00 unchanged.
 */
import { setFlagsFromString } from 'node:v8'
setFlagsFromString('--experimental-wasm-relaxed-simd')
const { activeWasm, useKernels } = await import('../../src/kernels/backend.js')
const { fitTrainer } = await import('../train/w1.js')

useKernels({ threads: Number(process.argv[2] ?? 2) })
const fit = fitTrainer()
fit()
const counts = new Map<number, number>()
const set = Float64Array.prototype.set
Float64Array.prototype.set = function (this: Float64Array, src: ArrayLike<number>, offset?: number): void {
  if (this.buffer === activeWasm()?.heap.memory.buffer) counts.set(src.length, (counts.get(src.length) ?? 0) + 1)
  set.call(this, src, offset)
}
const fits = 8
for (let i = 0; i < fits; i++) fit()
Float64Array.prototype.set = set
for (const [length, n] of [...counts].sort((a, b) => b[0] - a[0]))
  console.log(`${String(length).padStart(7)} doubles: ${(n / (4 * fits)).toFixed(2)} copies a step`)
