/**
 * The hyperbolic tangent, with its derivative as `sech^2`, accurate in the tails.
 *
 * @packageDocumentation
 */
import type { Floating, ScalarFn } from '../Floating.js'
import type { ReadonlyFloat64Array } from '../Tensor.js'
import { expm1NonPositive, expNonPositive } from '../special/exp.js'
import { arrayKernels, fusedDiff, type Activation } from './pointwise.js'

/**
 * `tanh'(x) = sech(x)^2 = 4 t / (1 + t)^2` with `t = exp(-2|x|)`: never overflows, and accurate in
 * the tails, where `1 - tanh(x)^2` is 0 beyond `|x|` of about 19, and never above its bound 1.
 *
 * @example
 * ```ts
 * tanhDerivative(0) // 1
 * tanhDerivative(20) // 1.6993417021166355e-17, where 1 - tanh(20)^2 is 0
 * ```
 *
 * @category numbers
 */
export const tanhDerivative = (x: number): number => sech2(expNonPositive(-2 * Math.abs(x)))

/**
 * `4 t / (1 + t)^2` from `t = exp(-2|x|)`, clamped to its bound 1: near 0 the rounding of `1 + t`
 * could otherwise lift it an ulp above, while the true value rounds to 1.
 */
const sech2 = (t: number): number => {
  const q = 1 + t
  return Math.min(1, (4 * t) / (q * q))
}

/**
 * `tanh''(x) = -2 tanh(x) sech(x)^2`.
 *
 * @example
 * ```ts
 * tanhSecondDerivative(0) // -0
 * ```
 *
 * @category numbers
 */
export const tanhSecondDerivative = (x: number): number => -2 * Math.tanh(x) * tanhDerivative(x)

/**
 * The generic tanh: the `Floating` primitive.
 *
 * @example
 * ```ts
 * import { floatingNumber } from 'autodiff-ts'
 *
 * tanhScalar(floatingNumber)(0) // 0
 * ```
 *
 * @category generic
 */
export const tanhScalar: ScalarFn =
  <A>(F: Floating<A>) =>
  (x: A): A =>
    F.tanh(x)

/**
 * `tanh(x)` from `u = -2|x|`: `(1 - t) / (1 + t)` with `t = exp(u)` from `|x| = 1/2` on (where
 * `1 - t` loses at most a bit), fdlibm's `-m / (m + 2)` with `m = expm1(u)` below, `x` below
 * 2^-28, 1 from 22 on, and the sign of `x`. `exp` and `expm1` are `special/exp.ts`'s, from one
 * reduction of `u`, which also gives the derivative's `t`: one reduction serves value and
 * derivative in the fused kernels, Wasm and JavaScript alike. Within 2.5 ulps of the exact value
 * (2.13 the most over a dense scan against mpmath; `Math.tanh`: 2.04).
 *
 * @example
 * ```ts
 * tanhValue(0.5) // 0.46211715726000974
 * tanhValue(1000) // 1
 * ```
 *
 * @category numbers
 */
export const tanhValue = (x: number): number => {
  const ax = Math.abs(x)
  if (ax < 2 ** -28) return x
  let z: number
  if (ax < 0.5) {
    const m = expm1NonPositive(-2 * ax)
    z = -m / (m + 2)
  } else if (ax < 22) {
    const t = expNonPositive(-2 * ax)
    z = (1 - t) / (1 + t)
  } else if (ax >= 22) z = 1
  else return x // NaN
  return x < 0 ? -z : z
}

const tanhKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = tanhValue(xs[i]!)
}

const tanhKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    y[i] = tanhValue(x)
    d[i] = sech2(expNonPositive(-2 * Math.abs(x)))
  }
}

/**
 * tanh's kernels on plain arrays (Wasm where the backend offers them): the one statement of its
 * arithmetic, run by `Activation.tanh.diff` and by the rule table's `tanh` entry.
 *
 * @internal
 */
export const tanhKernels = arrayKernels(
  { value: tanhKernel, valueAndDerivative: tanhKernelD },
  { op: 'tanh', value: tanhValue, derivative: tanhDerivative, recompute: false },
)

/**
 * The hyperbolic tangent, with values in `(-1, 1)` and `tanh'(x) = sech(x)^2` in `(0, 1]`,
 * computed without cancellation (PyTorch's `1 - tanh(x)^2` is 0 beyond `|x|` of about 19).
 * `tanh(x) = 2 sigmoid(2x) - 1`. No kinks.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.tanh.value(1000) // 1
 * Activation.tanh.derivative(0) // 1
 * ```
 *
 * @category activations
 */
export const tanh: Activation = Object.freeze({
  name: 'tanh',
  scalar: tanhScalar,
  value: tanhValue,
  derivative: tanhDerivative,
  secondDerivative: tanhSecondDerivative,
  diff: fusedDiff('tanh', tanhKernels),
  range: Object.freeze([-1, 1] as const),
  kinks: Object.freeze([]),
})
