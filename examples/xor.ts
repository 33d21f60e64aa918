/**
 * XOR: the function a single neuron cannot compute and a two-layer network can.
 *
 * The four points (0,0), (1,1) (class 0) and (0,1), (1,0) (class 1) are not linearly separable:
 * no line puts both class-1 points on one side and both class-0 points on the other. A single
 * dense layer followed by a sigmoid draws exactly such a line (its decision boundary is
 * `x W + b = 0`), so whatever it is trained with, it gets at most 3 of the 4 points right. A
 * hidden layer of tanh units bends the input space so that the output layer can separate it.
 *
 * Both models are trained the same way: `Train.fit` with binary cross-entropy on logits and
 * Adam, full batch. The single layer ends where the loss is convex and symmetric in the data:
 * `W = 0, b = 0`, probability 1/2 everywhere, loss `log 2`, the best any line can do.
 *
 * Run it: `npx tsx examples/xor.ts`.
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import { pathToFileURL } from 'node:url'
import * as Act from '../src/Activation.js'
import * as Layer from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import * as Optimizer from '../src/Optimizer.js'
import { key } from '../src/Random.js'
import { tensor } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as Train from '../src/Train.js'
import type { Tree } from '../src/Tree.js'

/** The XOR truth table: inputs and targets (a column of 0s and 1s). */
export const data = {
  x: tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]),
  y: tensor([[0], [1], [1], [0]]),
}

/** One model's outcome. */
export interface XorResult {
  /** Final training loss (mean binary cross-entropy). */
  readonly loss: number
  /** Fraction of the four points classified right (logit > 0 means class 1). */
  readonly accuracy: number
  /** Predicted probabilities for the four inputs. */
  readonly probabilities: readonly number[]
}

const train = <P extends Tree>(model: Layer.Layer<P, Tensor, Tensor>, seed: number, epochs: number): XorResult => {
  const r = Train.fit(model, model.init(key(seed)), data, {
    loss: Loss.binaryCrossEntropyWithLogits,
    metrics: { accuracy: Loss.binaryAccuracy },
    epochs,
    batchSize: 4,
    learningRate: 0.05,
    optimizer: (lr) => Optimizer.adam({ lr }),
    key: key(seed + 1),
  })
  if (isLeft(r)) throw new Error(r.left.message)
  const { params } = r.right
  const last = Train.evaluate(model, params, data, { loss: Loss.binaryCrossEntropyWithLogits, metrics: { accuracy: Loss.binaryAccuracy } })
  if (isLeft(last)) throw new Error(last.left.message)
  const logits = model.apply([params, data.x]).data
  return {
    loss: last.right.loss,
    accuracy: last.right.metrics['accuracy']!,
    probabilities: [...logits].map((z) => Act.sigmoid.value(z)),
  }
}

/** A single dense layer 2 -> 1 (a logistic-regression neuron). */
export const singleLayer = Layer.dense(2, 1)

/** A two-layer perceptron 2 -> 4 (tanh) -> 1. */
export const twoLayer = Layer.sequential(Layer.dense(2, 4), Layer.activation(Act.tanh), Layer.dense(4, 1))

/** Trains both models from several seeds; returns the results per seed. */
export const main = (seeds: readonly number[] = [0, 1, 2], epochs = 500) => ({
  single: seeds.map((s) => train(singleLayer, s, epochs)),
  mlp: seeds.map((s) => train(twoLayer, s, epochs)),
})

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { single, mlp } = main()
  const show = (r: XorResult) => `accuracy ${r.accuracy}, loss ${r.loss.toFixed(4)}, p = [${r.probabilities.map((p) => p.toFixed(3)).join(', ')}]`
  single.forEach((r, i) => console.log(`one dense layer, seed ${i}: ${show(r)}`))
  mlp.forEach((r, i) => console.log(`two layers,      seed ${i}: ${show(r)}`))
}
