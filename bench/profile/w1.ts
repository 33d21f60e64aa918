/**
 * W1 (784-128-10 ReLU MLP, batch 128, SGD, softmax cross-entropy) for a profiler:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile/w1.ts [steps]`, on the
 * kernels `AUTODIFF_KERNELS` / `AUTODIFF_THREADS` select. Prints samples/s and the kernels used.
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import * as Act from '../../src/Activation.js'
import { kernelInfo } from '../../src/kernels/backend.js'
import * as Layer from '../../src/Layer.js'
import * as Loss from '../../src/Loss.js'
import { sgd } from '../../src/Optimizer.js'
import { key, uniform } from '../../src/Random.js'
import * as Train from '../../src/Train.js'

const steps = Number(process.argv[2] ?? 300)
const model = Layer.sequential(Layer.dense(784, 128, { init: 'he' }), Layer.activation(Act.relu), Layer.dense(128, 10))
let params = model.init(key(0))
const x = uniform(key(1), [128, 784])
const y = Int32Array.from(uniform(key(2), [128]).data, (v) => Math.floor(v * 10))
const step = Train.trainStep(model, Loss.softmaxCrossEntropy, sgd({ lr: 0.01 }))
let state = { step: 0, slots: [] } as Parameters<typeof step>[0]
const t0 = performance.now()
for (let i = 0; i < steps; i++) {
  const r = step(state, params, x, y)
  if (isLeft(r)) throw new Error('step failed')
  state = r.right.state
  params = r.right.params
}
const ms = performance.now() - t0
console.log(`${JSON.stringify(kernelInfo())}: ${((steps * 128) / ms * 1000).toFixed(0)} samples/s`)
