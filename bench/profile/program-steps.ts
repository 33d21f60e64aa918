/**
 * Issue 11's two training steps (as `bench/suites/program.ts`), for the profiles: the program
 * step and the combinator step, on the same weights and batch.
 */
import * as Act from '../../src/Activation.js'
import * as Layer from '../../src/Layer.js'
import * as Loss from '../../src/Loss.js'
import { sgd } from '../../src/Optimizer.js'
import * as Program from '../../src/program/index.js'
import type { Algebra } from '../../src/program/index.js'
import { key, uniform } from '../../src/Random.js'
import type { Tensor } from '../../src/Tensor.js'
import * as Train from '../../src/Train.js'

type Params<T> = { readonly 0: { readonly w: T; readonly b: T }; readonly 2: { readonly w: T; readonly b: T } }
const loss = <T>(A: Algebra<T>) => (p: Params<T>, x: T, labels: ArrayLike<number>): T => {
  const h = A.relu(A.add(A.matmul(x, p[0].w), p[0].b))
  return A.softmaxCrossEntropy(A.add(A.matmul(h, p[2].w), p[2].b), labels)
}

export const steps = () => {
  const model = Layer.sequential(Layer.dense(784, 128, { init: 'he' }), Layer.activation(Act.relu), Layer.dense(128, 10))
  const params: Params<Tensor> = model.init(key(0))
  const x = uniform(key(1), [128, 784])
  const labels = Int32Array.from(uniform(key(2), [128]).data, (v) => Math.floor(v * 10))
  const optimizer = sgd({ lr: 0.01 })
  const state = optimizer.init(params)
  const combinator = Train.trainStep(model, Loss.softmaxCrossEntropy, optimizer)
  const step = Program.trainStep(loss, optimizer)
  const grads0 = Program.grad(loss)(params, x, labels)
  return {
    program: () => {
      const [value, grads] = Program.valueAndGrad(loss)(params, x, labels)
      return [value, optimizer.update(state, params, grads)] as const
    },
    trainStep: () => step(state, params, x, labels),
    lossAndGrad: () => Train.lossAndGrad(model, Loss.softmaxCrossEntropy)(params, x, labels),
    update: () => optimizer.update(state, params, grads0),
    valueAndGrad: () => Program.valueAndGrad(loss)(params, x, labels),
    combinator: () => combinator(state, params, x, labels),
  }
}
