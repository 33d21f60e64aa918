/**
 * W1 (784-128-10 ReLU MLP, batch 128, SGD, softmax cross-entropy) for a profiler:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile/w1.ts [steps]`, on the
 * kernels `AUTODIFF_KERNELS` / `AUTODIFF_THREADS` select. Prints samples/s and the kernels used.
 */
import { activeWasm, kernelInfo } from '../../src/kernels/backend.js'
import { W1_BATCH, w1Trainer } from '../train/w1.js'

const steps = Number(process.argv[2] ?? 300)
const { run } = w1Trainer()
const t0 = performance.now()
run(steps)
const ms = performance.now() - t0
console.log(`${JSON.stringify(kernelInfo())}: ${((steps * W1_BATCH) / ms * 1000).toFixed(0)} samples/s`)
const stats = activeWasm()?.pool()?.stats()
if (stats !== undefined) console.log(`threads: ${JSON.stringify(stats)}`)
