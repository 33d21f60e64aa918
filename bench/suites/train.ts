/**
 * Issue 4's figures: training throughput (samples per second) of a 784-128-10 ReLU MLP, batch
 * 128, SGD, softmax cross-entropy, for `Train.fit` side by side in one process with
 * `@tensorflow/tfjs` on its 'cpu' backend, `@tensorflow/tfjs-backend-wasm`, and a hand-written
 * plain TypeScript forward+backward loop on `Float64Array` with a tiled matmul. Every subject
 * trains one epoch over the same 512 examples in the same shuffled batches from the same weights;
 * the rounds interleave the subjects so that a noisy spell on the shared machine hits all of them.
 *
 * Ours with two threads and ours with one swap places every other round, so that each follows
 * tfjs-wasm's epoch in half the rounds: the issue's 2 / 1 figure compares our two settings with
 * each other, and a `fit` right after a tfjs-wasm epoch was seen to run up to 10% slower for a
 * while (cause not found), so neither setting may carry that alone. (Measured on 302cc33, five
 * full runs with the swap: 1.21-1.26, as without it: the order was not what held the figure down.)
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import * as Act from '../../src/Activation.js'
import * as Layer from '../../src/Layer.js'
import * as Loss from '../../src/Loss.js'
import { sgd } from '../../src/Optimizer.js'
import { foldIn, key, uniform } from '../../src/Random.js'
import { fromData } from '../../src/Tensor.js'
import * as Train from '../../src/Train.js'
import { batchIndices } from '../../src/data/Split.js'
import { kernelInfo, useKernels, type KernelOptions } from '../../src/kernels/backend.js'
import { median, ratio, sample, type Figure, type Suite } from '../harness.js'
import { handEpoch, handNet, handStep } from '../train/handwritten.js'
import { tfTrainer, useBackend, type TfTrainer } from '../train/tfjs.js'

const N_IN = 784
const HIDDEN = 128
const CLASSES = 10
const N = 512
const BATCH = 128
const LR = 0.01
/** Measured rounds (even, so that the two thread settings swap places equally often). */
const ROUNDS = 8

export const suite: Suite = {
  name: 'training throughput, 784-128-10 ReLU MLP, batch 128, SGD (issue 4)',
  run: async (): Promise<readonly Figure[]> => {
    const model = Layer.sequential(Layer.dense(N_IN, HIDDEN, { init: 'he' }), Layer.activation(Act.relu), Layer.dense(HIDDEN, CLASSES))
    const params = model.init(key(0))
    const x = uniform(key(1), [N, N_IN])
    const u = uniform(key(2), [N])
    const y = Int32Array.from(u.data, (v) => Math.floor(v * CLASSES))
    const data = { x, y }
    const shuffleKey = key(3)
    const perm = batchIndices(foldIn(shuffleKey, 0), N, BATCH).flat()
    const { 0: d0, 2: d2 } = params
    const weights = { w1: d0.w.data, b1: d0.b.data, w2: d2.w.data, b2: d2.b.data }
    const sizes = { nIn: N_IN, nHidden: HIDDEN, nOut: CLASSES }
    const xs = Float64Array.from(x.data)

    // the subjects compute the same thing: first-step losses agree
    const ours = Train.trainStep(model, Loss.softmaxCrossEntropy, sgd({ lr: LR }))
    const rows = perm.slice(0, BATCH)
    const xb = new Float64Array(BATCH * N_IN)
    rows.forEach((r, i) => xb.set(xs.subarray(r * N_IN, (r + 1) * N_IN), i * N_IN))
    const yb = Int32Array.from(rows, (r) => y[r]!)
    const first = ours({ step: 0, slots: [] }, params, fromData([BATCH, N_IN], xb), yb)
    if (isLeft(first)) throw new Error('train bench: our first step failed')
    const handLoss = handStep(handNet(weights.w1, weights.b1, weights.w2, weights.b2, N_IN, HIDDEN, CLASSES), xb, yb, BATCH, LR)
    if (Math.abs(handLoss - first.right.loss) > 1e-12 * first.right.loss)
      throw new Error(`train bench: hand-written loss ${handLoss} differs from ours ${first.right.loss}`)

    const net = handNet(weights.w1, weights.b1, weights.w2, weights.b2, N_IN, HIDDEN, CLASSES)
    await useBackend('cpu')
    const tfCpu: TfTrainer = tfTrainer(weights, sizes, xs, y, perm, BATCH, LR)
    await useBackend('wasm')
    const tfWasm: TfTrainer = tfTrainer(weights, sizes, xs, y, perm, BATCH, LR)

    const fitOnce = () => {
      const r = Train.fit(model, params, data, { loss: Loss.softmaxCrossEntropy, epochs: 1, batchSize: BATCH, learningRate: LR, key: shuffleKey })
      if (isLeft(r)) throw new Error(r.left.message)
      return r.right
    }
    const threads = kernelInfo().threads
    const subjects: readonly {
      readonly name: string
      readonly backend?: 'cpu' | 'wasm'
      readonly kernels?: KernelOptions
      readonly run: () => unknown
    }[] = [
      { name: 'ours', kernels: { backend: 'auto', threads }, run: fitOnce },
      { name: 'oursJs', kernels: { backend: 'js', threads: 1 }, run: fitOnce },
      { name: 'ours1', kernels: { backend: 'auto', threads: 1 }, run: fitOnce },
      { name: 'hand', run: () => handEpoch(net, xs, y, perm, BATCH, LR) },
      { name: 'tfCpu', backend: 'cpu', run: tfCpu.epoch },
      { name: 'tfWasm', backend: 'wasm', run: tfWasm.epoch },
    ]
    const samples: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.name, []]))
    const swapped = (r: number): typeof subjects =>
      r % 2 === 0 ? subjects : subjects.map((s) => (s.name === 'ours' ? subjects[2]! : s.name === 'ours1' ? subjects[0]! : s))
    for (let r = -1; r < ROUNDS; r++)
      for (const s of swapped(r)) {
        if (s.backend !== undefined) await useBackend(s.backend)
        useKernels(s.kernels ?? { backend: 'auto', threads })
        const ms = sample(s.run, 300)
        if (r >= 0) samples[s.name]!.push((N / ms) * 1000)
      }
    useKernels({ backend: 'auto', threads })
    tfCpu.dispose()
    tfWasm.dispose()
    const sps = Object.fromEntries(subjects.map((s) => [s.name, median(samples[s.name]!)])) as Record<string, number>
    return [
      { name: 'train: ours (fit), samples/s', value: sps['ours']!, unit: 'samples/s' },
      { name: `train: ours, JS kernels forced, 1 thread, samples/s`, value: sps['oursJs']!, unit: 'samples/s' },
      { name: `train: ours, ${kernelInfo().backend} kernels, 1 thread, samples/s`, value: sps['ours1']!, unit: 'samples/s' },
      ratio('train: ours 1 thread / ours with JS kernels (issue 16)', sps['ours1']! / sps['oursJs']!, '>=', 3),
      ratio('train: ours 1 thread / tfjs wasm (issue 16)', sps['ours1']! / sps['tfWasm']!, '>=', 1.7),
      ratio(`train: ours ${threads} threads / 1 thread (issue 16)`, sps['ours']! / sps['ours1']!, '>=', 1.5),
      { name: 'train: hand-written Float64Array loop, samples/s', value: sps['hand']!, unit: 'samples/s' },
      { name: 'train: tfjs cpu, samples/s', value: sps['tfCpu']!, unit: 'samples/s' },
      { name: 'train: tfjs wasm, samples/s', value: sps['tfWasm']!, unit: 'samples/s' },
      ratio('train: ours / tfjs cpu', sps['ours']! / sps['tfCpu']!, '>=', 4),
      ratio('train: ours / tfjs wasm', sps['ours']! / sps['tfWasm']!, '>=', 1),
      ratio('train: ours / hand-written', sps['ours']! / sps['hand']!, '>=', 0.8),
    ]
  },
}
