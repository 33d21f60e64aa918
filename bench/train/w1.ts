/**
 * W1 as the issues define it (784-128-10 ReLU MLP, batch 128, SGD at 0.01, softmax
 * cross-entropy) on one fixed random batch: `run(n)` takes n training steps with the library's
 * `Train.trainStep`, on whichever kernels are active. Shared by the heap suite and the profiling
 * script, so both measure the same thing.
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import * as Act from '../../src/Activation.js'
import * as Layer from '../../src/Layer.js'
import * as Loss from '../../src/Loss.js'
import { sgd } from '../../src/Optimizer.js'
import { key, uniform } from '../../src/Random.js'
import * as Train from '../../src/Train.js'

/** Samples per W1 step. */
export const W1_BATCH = 128

/** A W1 trainer: `run(n)` takes n steps, carrying parameters and optimizer state between calls. */
export const w1Trainer = (): { readonly run: (n: number) => void } => {
  const model = Layer.sequential(Layer.dense(784, 128, { init: 'he' }), Layer.activation(Act.relu), Layer.dense(128, 10))
  let params = model.init(key(0))
  const x = uniform(key(1), [W1_BATCH, 784])
  const y = Int32Array.from(uniform(key(2), [W1_BATCH]).data, (v) => Math.floor(v * 10))
  const step = Train.trainStep(model, Loss.softmaxCrossEntropy, sgd({ lr: 0.01 }))
  let state = { step: 0, slots: [] } as Parameters<typeof step>[0]
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const r = step(state, params, x, y)
      if (isLeft(r)) throw new Error(`W1: step ${state.step} failed: ${JSON.stringify(r.left)}`)
      state = r.right.state
      params = r.right.params
    }
  }
  return { run }
}

/** W1 as the train suite runs it: `Train.fit` for one epoch of 512 examples in batches of 128. */
export const fitTrainer = (): (() => void) => {
  const model = Layer.sequential(Layer.dense(784, 128, { init: 'he' }), Layer.activation(Act.relu), Layer.dense(128, 10))
  const params = model.init(key(0))
  const x = uniform(key(1), [512, 784])
  const y = Int32Array.from(uniform(key(2), [512]).data, (v) => Math.floor(v * 10))
  return () => {
    const r = Train.fit(model, params, { x, y }, { loss: Loss.softmaxCrossEntropy, epochs: 1, batchSize: W1_BATCH, learningRate: 0.01, key: key(3) })
    if (isLeft(r)) throw new Error(r.left.message)
  }
}
