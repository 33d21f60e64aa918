/**
 * What the browser test runs in the page, written once against the root entry's exports so the
 * same code runs in Node for comparison: a derivative, a gradient, XOR trained with Adam, and the
 * embedded digits.
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import type * as Lib from '../src/index.js'
import { activeWasm } from '../src/kernels/backend.js'
import { matmulNN } from '../src/kernels/matmul.js'

/** The page's results, as plain JSON. */
export interface PageResult {
  readonly derivative: number
  readonly gradient: readonly number[]
  readonly xor: { readonly loss: number; readonly accuracy: number; readonly probabilities: readonly number[] }
  readonly digits: { readonly shape: readonly number[]; readonly firstLabels: readonly number[] }
}

/** Runs the experiment with the library `lib` (the root entry's namespace). */
export const experiment = (lib: typeof Lib): PageResult => {
  const { Activation, Data, Dual, Layer, Loss, Optimizer, Random, Reverse, Train, tensor } = lib
  // f(x) = x^2 sin(x), f'(x) = 2x sin(x) + x^2 cos(x)
  const derivative = Dual.derivative((F) => (x) => F.mul(F.mul(x, x), F.sin(x)))(2)
  const gradient = Reverse.grad((F) => ([x = F.zero, y = F.zero]) => F.mul(F.add(x, y), F.add(x, y)))([1, 2])
  const data = { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tensor([[0], [1], [1], [0]]) }
  const model = Layer.sequential(Layer.dense(2, 4), Layer.activation(Activation.tanh), Layer.dense(4, 1))
  const fitted = Train.fit(model, model.init(Random.key(0)), data, {
    loss: Loss.binaryCrossEntropyWithLogits,
    epochs: 500,
    batchSize: 4,
    learningRate: 0.05,
    optimizer: (lr) => Optimizer.adam({ lr }),
    key: Random.key(1),
  })
  if (isLeft(fitted)) throw new Error(fitted.left.message)
  const params = fitted.right.params
  const evaluated = Train.evaluate(model, params, data, { loss: Loss.binaryCrossEntropyWithLogits, metrics: { accuracy: Loss.binaryAccuracy } })
  if (isLeft(evaluated)) throw new Error(evaluated.left.message)
  const scored = evaluated.right
  const logits = model.apply([params, data.x]).data
  const digits = Data.loadDigits()
  if (isLeft(digits)) throw new Error(digits.left)
  return {
    derivative,
    gradient: [...gradient],
    xor: { loss: scored.loss, accuracy: scored.metrics['accuracy']!, probabilities: [...logits].map((z) => Activation.sigmoid.value(z)) },
    digits: { shape: [...digits.right.x.shape], firstLabels: [...digits.right.y.subarray(0, 10)] },
  }
}

/** What the page's two-thread product gave. */
export interface ThreadsResult {
  readonly info: ReturnType<typeof Lib.kernelInfo>
  /** Whether 20 products on two threads gave the bits of the one-thread product. */
  readonly same: boolean
  /** Chunks of those products the worker computed. */
  readonly workerChunks: number
}

/** A product large enough for the threads ([256, 300] by [300, 200]) on two threads once a worker is ready, against one thread. */
export const threads = async (lib: typeof Lib): Promise<ThreadsResult> => {
  const [m, k, n] = [256, 300, 200]
  const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i))
  const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i))
  lib.useKernels({ threads: 2 })
  matmulNN(a, b, m, k, n) // starts the worker
  for (let i = 0; i < 200 && lib.kernelInfo().workersReady < 1; i++) await new Promise((r) => setTimeout(r, 50))
  const info = lib.kernelInfo()
  const before = activeWasm()?.pool()?.stats()
  const two = Array.from({ length: 20 }, () => matmulNN(a, b, m, k, n))
  const after = activeWasm()?.pool()?.stats()
  lib.useKernels({ threads: 1 })
  const one = matmulNN(a, b, m, k, n)
  const worker = (s: typeof before) => (s === undefined ? 0 : s.chunks - s.callerChunks)
  return { info, same: two.every((c) => c.every((v, i) => Object.is(v, one[i]))), workerChunks: worker(after) - worker(before) }
}
