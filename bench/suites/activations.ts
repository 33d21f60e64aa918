/**
 * Issue 16's W2: sigmoid, tanh and relu, forward and backward, on 1,000,000 elements: ours
 * (`Diff.vjp` then the pullback of a cotangent of ones, float64, correctly rounded to 1e-9
 * relative) against `@tensorflow/tfjs-backend-wasm` (`tf.grad` of `sum(f(x))`, float32, XNNPACK),
 * timed interleaved in one process.
 */
import * as tf from '@tensorflow/tfjs'
import * as Act from '../../src/Activation.js'
import { kernelInfo } from '../../src/kernels/backend.js'
import { wrap } from '../../src/Tensor.js'
import { compare, lcg, ratio, type Figure, type Suite } from '../harness.js'
import { useBackend } from '../train/tfjs.js'

const N = 1_000_000

export const suite: Suite = {
  name: 'W2: activations forward+backward, 1e6 elements (issue 16)',
  run: async (): Promise<readonly Figure[]> => {
    await useBackend('wasm')
    const rand = lcg(3, -8, 8)
    const xs = Float64Array.from({ length: N }, rand)
    const x = wrap([N], xs)
    const ones = wrap([N], new Float64Array(N).fill(1))
    const tx = tf.tensor1d(Float32Array.from(xs))
    const figures: Figure[] = []
    const subjects = { sigmoid: [Act.sigmoid, tf.sigmoid], tanh: [Act.tanh, tf.tanh], relu: [Act.relu, tf.relu] } as const
    for (const [name, [ours, theirs]] of Object.entries(subjects)) {
      const g = tf.grad((v: tf.Tensor) => tf.sum(theirs(v)))
      const t = compare(
        {
          ours: () => {
            const [, pb] = ours.diff.vjp(x)
            return pb(ones)
          },
          tf: () => {
            const d = g(tx)
            d.dataSync()
            d.dispose()
          },
        },
        { rounds: 7, minMs: 100 },
      )
      figures.push(
        { name: `${name}: ours (${kernelInfo().backend} kernels), fwd+bwd`, value: t.ours, unit: 'ms' },
        { name: `${name}: tfjs-wasm, fwd+bwd`, value: t.tf, unit: 'ms' },
        ratio(`${name}: ours / tfjs-wasm speed`, t.tf / t.ours, '>=', 1),
      )
    }
    tx.dispose()
    return figures
  },
}
