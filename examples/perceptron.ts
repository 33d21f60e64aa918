/**
 * The lecture's perceptron: one neuron with weights, a bias and a threshold (step) activation,
 * learning the logical AND and OR of two inputs with the perceptron learning rule.
 *
 * Why not gradient descent? The step function is flat everywhere but at 0, where it jumps, so
 * its derivative is 0 wherever it exists (and this library takes it to be 0 at the jump too).
 * The gradient of any loss through a step is therefore exactly zero: gradient descent would
 * never move the weights. (This is why multilayer networks use smooth activations such as
 * sigmoid, tanh or ReLU.) The perceptron rule (Rosenblatt, 1958) does not differentiate: for
 * each example it compares the output `y` with the target `t` and moves the weights by
 * `lr (t - y) x` and the bias by `lr (t - y)`. On linearly separable data such as AND and OR it
 * stops changing after finitely many passes (the perceptron convergence theorem).
 *
 * Run it: `npx tsx examples/perceptron.ts`.
 */
import { pathToFileURL } from 'node:url'
import * as Layer from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import { fromData, tensor } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'

/** The four input pairs, one per row. */
export const inputs: Tensor = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
])

/** Targets of AND and OR for {@link inputs}. */
export const targets = { and: [0, 0, 0, 1], or: [0, 1, 1, 1] } as const

const neuron = Layer.perceptron(2)
type Params = Layer.DenseParams

/**
 * One application of the perceptron rule to example `i`: a new parameter record (the old one
 * is untouched).
 */
const ruleStep = (p: Params, x: readonly number[], t: number, lr: number): Params => {
  const y = neuron.apply([p, fromData([1, 2], x)]).data[0]!
  const err = t - y
  if (err === 0) return p
  return {
    w: fromData([2, 1], [p.w.data[0]! + lr * err * x[0]!, p.w.data[1]! + lr * err * x[1]!]),
    b: fromData([1], [p.b.data[0]! + lr * err]),
  }
}

/** The outcome of training one gate. */
export interface GateResult {
  readonly params: Params
  /** The outputs (0 or 1) for the four inputs after training. */
  readonly outputs: readonly number[]
  /** Passes over the four examples until a pass changed nothing. */
  readonly epochs: number
}

/**
 * Trains a perceptron on one gate with the perceptron rule, starting from zero weights, until
 * a whole pass makes no mistake (at most `maxEpochs` passes): a fold over epochs and examples.
 */
export const trainGate = (t: readonly number[], lr = 0.1, maxEpochs = 100): GateResult => {
  const rows = [0, 1, 2, 3].map((i) => [inputs.data[2 * i]!, inputs.data[2 * i + 1]!])
  let p: Params = { w: fromData([2, 1], [0, 0]), b: fromData([1], [0]) }
  let epochs = 0
  for (; epochs < maxEpochs; epochs++) {
    const next = rows.reduce((q, x, i) => ruleStep(q, x, t[i]!, lr), p)
    if (next === p) break // no mistake in this pass
    p = next
  }
  return { params: p, outputs: [...neuron.apply([p, inputs]).data], epochs }
}

/**
 * The gradient of a loss through the perceptron with respect to its parameters: all zeros,
 * whatever the parameters, because step' = 0. Returns the largest absolute entry.
 */
export const gradientThroughStep = (p: Params, t: readonly number[]): number => {
  const [y, pullback] = neuron.vjpParams(p, inputs)
  const [, lossPullback] = Loss.mse(fromData([4, 1], t)).vjp(y)
  const g = pullback(lossPullback(1))
  return Math.max(...T.ravel(g)[0].map(Math.abs))
}

/** Trains AND and OR and reports. */
export const main = () => {
  const and = trainGate(targets.and)
  const or = trainGate(targets.or)
  const start: Params = { w: fromData([2, 1], [0.3, -0.2]), b: fromData([1], [0.1]) }
  return { and, or, gradient: gradientThroughStep(start, targets.and) }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { and, or, gradient } = main()
  for (const [name, r] of [['AND', and], ['OR', or]] as const)
    console.log(`${name}: outputs ${r.outputs.join(' ')} after ${r.epochs} epochs; w = [${[...r.params.w.data].join(', ')}], b = ${r.params.b.data[0]}`)
  console.log(`largest gradient entry of the loss through the step: ${gradient} (gradient descent cannot train a perceptron)`)
}
