/**
 * Activation functions, each usable three ways: as a generic scalar function evaluable in every
 * mode (`scalar`), as plain number functions for its value and derivatives (`value`,
 * `derivative`, `secondDerivative`, for plots and tables), and as a `Diff<Tensor, Tensor>` with a
 * fused closed-form kernel (`diff`). Softmax and log-softmax work on rows (the last axis).
 *
 * Numerically stable at every input (`sigmoid(-1000)` is 0, `softplus(1000)` is 1000,
 * `softmax([1000, 0, -1000])` is exact) and accurate in the tails to a relative 1e-9 of the
 * correctly rounded value. No finite input gives NaN or `Infinity` in a value or a gradient; NaN
 * gives NaN; `+-Infinity` gives the limits.
 *
 * Conventions at kinks, as data in each activation's `kinks`, follow ChainRulesCore's policy: 0 at
 * a local optimum (`relu'(0) = 0`, `hardTanh'(+-1) = 0`), the one-sided derivative where only one
 * side exists, otherwise the derivative of the branch `x <= kink` (`leakyRelu(a)'(0) = a`,
 * `elu(a)'(0) = a`, as PyTorch); `step' = 0` everywhere.
 *
 * @packageDocumentation
 */
import { elu, leakyRelu, hardTanh, relu, step } from './activation/piecewise.js'
import { sigmoid, silu, softplus } from './activation/logistic.js'
import { tanh } from './activation/tanh.js'
import { gelu, geluTanh } from './activation/gelu.js'
import type { Activation } from './activation/pointwise.js'

export type { Activation, Kink, PointwiseKernels } from './activation/pointwise.js'
export { pointwiseDiff } from './activation/pointwise.js'
export type { RowActivation } from './activation/softmax.js'
export { softmax, logSoftmax } from './activation/softmax.js'
export { step, relu, leakyRelu, elu, hardTanh, sigmoid, tanh, softplus, silu, gelu, geluTanh }

/**
 * Every elementwise activation, the parameterised ones with their default parameters
 * (`leakyRelu(0.01)`, `elu(1)`), in the order of a lecture: the perceptron's step, the classic
 * sigmoid and tanh, then relu and its descendants.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * // a table of values and derivatives, e.g. to draw them
 * const xs = Array.from({ length: 81 }, (_, i) => -4 + i / 10)
 * const table = Activation.all.map((a) => ({ name: a.name, y: xs.map(a.value), dy: xs.map(a.derivative) }))
 * ```
 *
 * @category activations
 */
export const all: readonly Activation[] = Object.freeze([
  step,
  sigmoid,
  tanh,
  relu,
  leakyRelu(0.01),
  elu(1),
  softplus,
  silu,
  gelu,
  geluTanh,
  hardTanh,
])
