/**
 * W2 (sigmoid, tanh, relu forward and backward on 1e6 elements) for a profiler:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile/w2.ts [reps] [names]`, on the
 * kernels `AUTODIFF_KERNELS` selects. Prints ms per forward+backward of each activation.
 */
import * as Act from '../../src/Activation.js'
import { kernelInfo } from '../../src/kernels/backend.js'
import { wrap } from '../../src/Tensor.js'
import { lcg } from '../harness.js'

const N = 1_000_000
const reps = Number(process.argv[2] ?? 100)
const names = (process.argv[3] ?? 'sigmoid,tanh,relu').split(',') as ('sigmoid' | 'tanh' | 'relu')[]
const rand = lcg(3, -8, 8)
const x = wrap([N], Float64Array.from({ length: N }, rand))
const ones = wrap([N], new Float64Array(N).fill(1))
console.log(JSON.stringify(kernelInfo()))
for (const name of names) {
  const { diff } = Act[name]
  const t0 = performance.now()
  for (let i = 0; i < reps; i++) {
    const [, pb] = diff.vjp(x)
    pb(ones)
  }
  console.log(`${name}: ${((performance.now() - t0) / reps).toFixed(2)} ms`)
}
