/**
 * The Gaussian error linear unit `x Phi(x)`, exactly (through `erfc`, which does not cancel in
 * the negative tail) and in the tanh approximation of Hendrycks and Gimpel (through
 * `2 sigmoid(2u)` in place of `1 + tanh(u)`, which cancels there).
 *
 * @packageDocumentation
 */
import type { Floating, ScalarFn } from '../Floating.js'
import { erfc } from '../Special.js'
import type { ReadonlyFloat64Array } from '../Tensor.js'
import { sigmoidScalar } from './logistic.js'
import { builtInDiff, type Activation } from './pointwise.js'

// Beyond |x| > 40, Phi(x) is 0 or 1 and the Gaussian density 0 in float64 (e^-800 underflows), and
// for the tanh form sigmoid(v) likewise, so every value and derivative is at its asymptote; the
// cut-off only keeps Infinity * 0 (NaN) out at x = +-Infinity.
const FLAT = 40
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI)
// the minima, at the roots of the derivatives (mpmath, 50 digits)
const GELU_MIN = -0.16997120747990366
const GELU_TANH_MIN = -0.17004075057125406

// ---------------------------------------------------------------------------------------------
// exact: x Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2

/**
 * `gelu(x) = x Phi(x)`, with the normal distribution function `Phi(x) = erfc(-x / sqrt 2) / 2`
 * accurate in both tails.
 *
 * @example
 * ```ts
 * geluValue(1) // 0.841344746068543
 * ```
 *
 * @category numbers
 */
export const geluValue = (x: number): number => (x > FLAT ? x : x < -FLAT ? 0 : x * (0.5 * erfc(-x * Math.SQRT1_2)))

/**
 * `gelu'(x) = Phi(x) + x phi(x)`, with the normal density `phi`.
 *
 * @example
 * ```ts
 * geluDerivative(0) // 0.5
 * ```
 *
 * @category numbers
 */
export const geluDerivative = (x: number): number =>
  x > FLAT ? 1 : x < -FLAT ? 0 : 0.5 * erfc(-x * Math.SQRT1_2) + x * (INV_SQRT_2PI * Math.exp(-0.5 * x * x))

/**
 * `gelu''(x) = phi(x) (2 - x^2)`.
 *
 * @example
 * ```ts
 * geluSecondDerivative(0) // 0.7978845608028654
 * ```
 *
 * @category numbers
 */
export const geluSecondDerivative = (x: number): number =>
  x > FLAT || x < -FLAT ? 0 : INV_SQRT_2PI * Math.exp(-0.5 * x * x) * (2 - x * x)

/**
 * The generic exact gelu, `x erfc(-x / sqrt 2) / 2`.
 *
 * @example
 * ```ts
 * import { floatingNumber } from 'autodiff-ts'
 *
 * geluScalar(floatingNumber)(0) // 0
 * ```
 *
 * @category generic
 */
export const geluScalar: ScalarFn =
  <A>(F: Floating<A>) =>
  (x: A): A => {
    const p = F.primal(x)
    if (p > FLAT) return x
    if (p < -FLAT) return F.zero
    return F.mul(x, F.mul(F.of(0.5), F.erfc(F.mul(F.of(-Math.SQRT1_2), x))))
  }

const geluKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = geluValue(xs[i]!)
}

const geluKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    if (x > FLAT) {
      y[i] = x
      d[i] = 1
    } else if (x < -FLAT) {
      y[i] = 0
      d[i] = 0
    } else {
      const cdf = 0.5 * erfc(-x * Math.SQRT1_2)
      y[i] = x * cdf
      d[i] = cdf + x * (INV_SQRT_2PI * Math.exp(-0.5 * x * x))
    }
  }
}

/**
 * The exact Gaussian error linear unit `x Phi(x)` (PyTorch's `F.gelu(x)`, `approximate='none'`),
 * through `erfc`, so that the negative tail keeps its relative accuracy (`1 + erf(x)` would
 * cancel). `gelu'(x) = Phi(x) + x phi(x)`, `gelu''(x) = phi(x) (2 - x^2)`. Its minimum, about
 * -0.16997, is at `x ≈ -0.75179`. No kinks.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.gelu.value(-10) // -7.6198530241605e-23 (PyTorch: 0, from 1 + erf)
 * Activation.gelu.derivative(0) // 0.5
 * ```
 *
 * @category activations
 */
export const gelu: Activation = Object.freeze({
  name: 'gelu',
  scalar: geluScalar,
  value: geluValue,
  derivative: geluDerivative,
  secondDerivative: geluSecondDerivative,
  diff: builtInDiff('gelu', { value: geluKernel, valueAndDerivative: geluKernelD }),
  range: Object.freeze([GELU_MIN, Infinity] as const),
  kinks: Object.freeze([]),
})

// ---------------------------------------------------------------------------------------------
// tanh approximation: x (1 + tanh u) / 2 = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3)

const C = 0.044715
const K = 2 * Math.sqrt(2 / Math.PI)

const sigmoidOf = (v: number, e: number): number => (v >= 0 ? 1 / (1 + e) : e / (1 + e))

/**
 * The tanh approximation of gelu, `x sigmoid(v)` with `v = 2 sqrt(2/pi) (x + 0.044715 x^3)`.
 *
 * @example
 * ```ts
 * geluTanhValue(1) // 0.8411919906082768
 * ```
 *
 * @category numbers
 */
export const geluTanhValue = (x: number): number => {
  if (x > FLAT) return x
  if (x < -FLAT) return 0
  const v = K * x * (1 + C * x * x)
  return x * sigmoidOf(v, Math.exp(-Math.abs(v)))
}

/**
 * The derivative of the tanh approximation: `sigmoid(v) + x sigmoid'(v) v'` with
 * `v' = 2 sqrt(2/pi) (1 + 3 * 0.044715 x^2)`.
 *
 * @example
 * ```ts
 * geluTanhDerivative(0) // 0.5
 * ```
 *
 * @category numbers
 */
export const geluTanhDerivative = (x: number): number => {
  if (x > FLAT) return 1
  if (x < -FLAT) return 0
  const v = K * x * (1 + C * x * x)
  const e = Math.exp(-Math.abs(v))
  const q = 1 + e
  return sigmoidOf(v, e) + x * (e / (q * q)) * (K * (1 + 3 * C * x * x))
}

/**
 * The second derivative of the tanh approximation:
 * `sigmoid'(v) (2 v' + x (v'' - tanh(v / 2) v'^2))`, using `sigmoid'' = -sigmoid' tanh(v / 2)`.
 *
 * @example
 * ```ts
 * geluTanhSecondDerivative(0) // 0.7978845608028654
 * ```
 *
 * @category numbers
 */
export const geluTanhSecondDerivative = (x: number): number => {
  if (x > FLAT || x < -FLAT) return 0
  const v = K * x * (1 + C * x * x)
  const e = Math.exp(-Math.abs(v))
  const q = 1 + e
  const v1 = K * (1 + 3 * C * x * x)
  const v2 = 6 * K * C * x
  return (e / (q * q)) * (2 * v1 + x * (v2 - Math.tanh(0.5 * v) * v1 * v1))
}

/**
 * The generic tanh approximation of gelu, `x sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3))`.
 *
 * @example
 * ```ts
 * import { floatingNumber } from 'autodiff-ts'
 *
 * geluTanhScalar(floatingNumber)(0) // 0
 * ```
 *
 * @category generic
 */
export const geluTanhScalar: ScalarFn =
  <A>(F: Floating<A>) =>
  (x: A): A => {
    const p = F.primal(x)
    if (p > FLAT) return x
    if (p < -FLAT) return F.zero
    const v = F.mul(F.mul(F.of(K), x), F.add(F.one, F.mul(F.of(C), F.mul(x, x))))
    return F.mul(x, sigmoidScalar(F)(v))
  }

const geluTanhKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = geluTanhValue(xs[i]!)
}

const geluTanhKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    if (x > FLAT) {
      y[i] = x
      d[i] = 1
    } else if (x < -FLAT) {
      y[i] = 0
      d[i] = 0
    } else {
      const v = K * x * (1 + C * x * x)
      const e = Math.exp(-Math.abs(v))
      const q = 1 + e
      y[i] = x * sigmoidOf(v, e)
      d[i] = sigmoidOf(v, e) + x * (e / (q * q)) * (K * (1 + 3 * C * x * x))
    }
  }
}

/**
 * The tanh approximation of gelu (PyTorch's `F.gelu(x, approximate='tanh')`),
 * `x (1 + tanh(u)) / 2` with `u = sqrt(2/pi) (x + 0.044715 x^3)`, computed as `x sigmoid(2u)`, which
 * keeps its relative accuracy in the negative tail where `1 + tanh(u)` cancels. No kinks.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.geluTanh.value(1) // 0.8411919906082768
 * Activation.geluTanh.derivative(0) // 0.5
 * ```
 *
 * @category activations
 */
export const geluTanh: Activation = Object.freeze({
  name: 'gelu(tanh)',
  scalar: geluTanhScalar,
  value: geluTanhValue,
  derivative: geluTanhDerivative,
  secondDerivative: geluTanhSecondDerivative,
  diff: builtInDiff('gelu(tanh)', { value: geluTanhKernel, valueAndDerivative: geluTanhKernelD }),
  range: Object.freeze([GELU_TANH_MIN, Infinity] as const),
  kinks: Object.freeze([]),
})
