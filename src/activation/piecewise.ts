/**
 * The piecewise activations: step, relu, leakyRelu, elu and hardTanh, with their conventions at
 * the kinks written down as data ({@link Kink}).
 *
 * @packageDocumentation
 */
import type { Floating, ScalarFn } from '../Floating.js'
import type { ReadonlyFloat64Array } from '../Tensor.js'
import { arrayKernels, fusedDiff, builtInDiff, type Activation, type Kink } from './pointwise.js'

/** NaN with a NaN derivative: the generic definitions' "NaN in, NaN out". */
const nanOf = <A>(F: Floating<A>, x: A): A => F.mul(x, F.of(NaN))

/** 0, or NaN for NaN: the derivative of a piece that is constant or linear. */
const zeroOrNaN = (x: number): number => (x === x ? 0 : NaN)

const kink = (at: number, left: number, right: number, derivative: number, rule: Kink['rule']): Kink =>
  Object.freeze({ at, left, right, derivative, rule })

const checkAlpha = (name: string, alpha: number): void => {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0)
    throw new RangeError(`${name}: expected a finite alpha >= 0, got ${String(alpha)}`)
}

// ---------------------------------------------------------------------------------------------
// step

const stepValue = (x: number): number => (x > 0 ? 1 : x <= 0 ? 0 : NaN)

const stepKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = stepValue(xs[i]!)
}

const stepKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    y[i] = stepValue(x)
    d[i] = zeroOrNaN(x)
  }
}

/**
 * The Heaviside step of the perceptron: 0 for `x <= 0`, 1 for `x > 0`. Its derivative is 0
 * everywhere, by convention also at the jump at 0 (the Dirac delta is dropped), so no gradient
 * flows through it: train a perceptron with its own rule, or a smooth stand-in such as sigmoid.
 *
 * @example
 * ```ts
 * import { Activation, tensor } from 'autodiff-ts'
 *
 * Activation.step.diff.apply(tensor([-1, 0, 2])) // [0, 0, 1]
 * Activation.step.derivative(0) // 0
 * ```
 *
 * @category activations
 */
export const step: Activation = Object.freeze({
  name: 'step',
  scalar:
    <A>(F: Floating<A>) =>
    (x: A): A => {
      const p = F.primal(x)
      return p > 0 ? F.one : p <= 0 ? F.zero : nanOf(F, x)
    },
  value: stepValue,
  derivative: zeroOrNaN,
  secondDerivative: zeroOrNaN,
  diff: builtInDiff('step', { value: stepKernel, valueAndDerivative: stepKernelD }),
  range: Object.freeze([0, 1] as const),
  kinks: Object.freeze([kink(0, 0, 0, 0, 'jump')]),
})

// ---------------------------------------------------------------------------------------------
// relu

const reluValue = (x: number): number => (x > 0 ? x : x <= 0 ? 0 : NaN)
const reluDerivative = (x: number): number => (x > 0 ? 1 : x <= 0 ? 0 : NaN)

const reluKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = reluValue(xs[i]!)
}

const reluKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    y[i] = reluValue(x)
    d[i] = reluDerivative(x)
  }
}

/**
 * relu's kernels on plain arrays (Wasm where the backend offers them): the one statement of its
 * arithmetic, run by `Activation.relu.diff` and by the rule table's `relu` entry.
 *
 * @internal
 */
export const reluKernels = arrayKernels(
  { value: reluKernel, valueAndDerivative: reluKernelD },
  { op: 'relu', value: reluValue, derivative: reluDerivative, recompute: true },
  true,
)

const reluScalar: ScalarFn =
  <A>(F: Floating<A>) =>
  (x: A): A => {
    const p = F.primal(x)
    return p > 0 ? x : p <= 0 ? F.zero : nanOf(F, x)
  }

/**
 * The rectified linear unit `max(x, 0)`. `relu'(0) = 0`: 0 is a local minimum (ChainRulesCore's
 * policy; PyTorch and JAX agree).
 *
 * @example
 * ```ts
 * import { Activation, tensor } from 'autodiff-ts'
 *
 * Activation.relu.diff.apply(tensor([-2, 0, 3])) // [0, 0, 3]
 * Activation.relu.derivative(0) // 0
 * ```
 *
 * @category activations
 */
export const relu: Activation = Object.freeze({
  name: 'relu',
  scalar: reluScalar,
  value: reluValue,
  derivative: reluDerivative,
  secondDerivative: zeroOrNaN,
  diff: fusedDiff('relu', reluKernels),
  range: Object.freeze([0, Infinity] as const),
  kinks: Object.freeze([kink(0, 0, 1, 0, 'local optimum')]),
})

// ---------------------------------------------------------------------------------------------
// leakyRelu

/**
 * The leaky relu with slope `alpha` below 0: `x` for `x > 0`, `alpha x` otherwise
 * (PyTorch's `negative_slope`, default 0.01). At the kink its derivative is `alpha`, the
 * derivative of the branch `x <= 0` (as PyTorch); `leakyRelu(0)` is {@link relu}.
 *
 * @throws RangeError if `alpha` is not a finite number `>= 0`.
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * const lrelu = Activation.leakyRelu(0.1)
 * lrelu.value(-2) // -0.2
 * lrelu.derivative(0) // 0.1
 * ```
 *
 * @category activations
 */
export const leakyRelu = (alpha = 0.01): Activation => {
  checkAlpha('leakyRelu', alpha)
  const name = `leakyRelu(${alpha})`
  if (alpha === 0) return Object.freeze({ ...relu, name })
  const value = (x: number): number => (x > 0 ? x : alpha * x)
  const derivative = (x: number): number => (x > 0 ? 1 : x <= 0 ? alpha : NaN)
  return Object.freeze({
    name,
    scalar:
      <A>(F: Floating<A>) =>
      (x: A): A => {
        const p = F.primal(x)
        return p > 0 ? x : p <= 0 ? F.mul(F.of(alpha), x) : nanOf(F, x)
      },
    value,
    derivative,
    secondDerivative: zeroOrNaN,
    diff: builtInDiff(name, {
      value: (xs, y) => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!
          y[i] = x > 0 ? x : alpha * x
        }
      },
      valueAndDerivative: (xs, y, d) => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!
          y[i] = x > 0 ? x : alpha * x
          d[i] = x > 0 ? 1 : x <= 0 ? alpha : NaN
        }
      },
    }),
    range: Object.freeze([-Infinity, Infinity] as const),
    kinks: Object.freeze(alpha === 1 ? [] : [kink(0, alpha, 1, alpha, 'left branch')]),
  })
}

// ---------------------------------------------------------------------------------------------
// elu

/**
 * The exponential linear unit: `x` for `x > 0`, `alpha (e^x - 1)` otherwise (computed with
 * `expm1`, accurate near 0), tending to `-alpha` at `-Infinity`. At 0 its derivative is `alpha`,
 * the derivative of the branch `x <= 0` (for `alpha = 1` both sides agree and there is no kink;
 * the second derivative, `alpha e^x` below 0 and 0 above, jumps there and takes the same branch).
 *
 * @throws RangeError if `alpha` is not a finite number `>= 0`.
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.elu(1).value(-1000) // -1
 * Activation.elu(1).derivative(0) // 1
 * ```
 *
 * @category activations
 */
export const elu = (alpha = 1): Activation => {
  checkAlpha('elu', alpha)
  const name = `elu(${alpha})`
  const value = (x: number): number => (x > 0 ? x : alpha * Math.expm1(x))
  const derivative = (x: number): number => (x > 0 ? 1 : alpha * Math.exp(x))
  const secondDerivative = (x: number): number => (x > 0 ? 0 : alpha * Math.exp(x))
  return Object.freeze({
    name,
    scalar:
      <A>(F: Floating<A>) =>
      (x: A): A =>
        F.primal(x) > 0 ? x : F.mul(F.of(alpha), F.expm1(x)),
    value,
    derivative,
    secondDerivative,
    diff: builtInDiff(name, {
      value: (xs, y) => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!
          y[i] = x > 0 ? x : alpha * Math.expm1(x)
        }
      },
      valueAndDerivative: (xs, y, d) => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!
          if (x > 0) {
            y[i] = x
            d[i] = 1
          } else {
            y[i] = alpha * Math.expm1(x)
            d[i] = alpha * Math.exp(x)
          }
        }
      },
    }),
    range: Object.freeze([-alpha, Infinity] as const),
    kinks: Object.freeze(alpha === 1 ? [] : [kink(0, alpha, 1, alpha, 'left branch')]),
  })
}

// ---------------------------------------------------------------------------------------------
// hardTanh

const hardTanhValue = (x: number): number => (x >= 1 ? 1 : x <= -1 ? -1 : x)
const hardTanhDerivative = (x: number): number => (x > -1 && x < 1 ? 1 : zeroOrNaN(x))

const hardTanhKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = hardTanhValue(xs[i]!)
}

const hardTanhKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    y[i] = hardTanhValue(x)
    d[i] = hardTanhDerivative(x)
  }
}

/**
 * `hardTanh(x) = clamp(x, -1, 1)`. Its derivative is 1 inside `(-1, 1)` and 0 outside; at the
 * kinks `+-1` it is 0, since they are a local maximum and a local minimum (PyTorch agrees).
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.hardTanh.value(3) // 1
 * Activation.hardTanh.derivative(1) // 0
 * ```
 *
 * @category activations
 */
export const hardTanh: Activation = Object.freeze({
  name: 'hardTanh',
  scalar:
    <A>(F: Floating<A>) =>
    (x: A): A => {
      const p = F.primal(x)
      return p > -1 && p < 1 ? x : p >= 1 ? F.one : p <= -1 ? F.of(-1) : nanOf(F, x)
    },
  value: hardTanhValue,
  derivative: hardTanhDerivative,
  secondDerivative: zeroOrNaN,
  diff: builtInDiff('hardTanh', { value: hardTanhKernel, valueAndDerivative: hardTanhKernelD }),
  range: Object.freeze([-1, 1] as const),
  kinks: Object.freeze([kink(-1, 0, 1, 0, 'local optimum'), kink(1, 1, 0, 0, 'local optimum')]),
})
