/**
 * The logistic family: sigmoid, softplus (its antiderivative) and silu (`x sigmoid(x)`), all
 * computed from `e = exp(-|x|)`, which never overflows, so they are exact in both tails.
 *
 * @packageDocumentation
 */
import type { Floating, ScalarFn } from '../Floating.js'
import type { ReadonlyFloat64Array } from '../Tensor.js'
import { expNonPositive } from '../special/exp.js'
import { arrayKernels, fusedDiff, builtInDiff, type Activation } from './pointwise.js'

// ---------------------------------------------------------------------------------------------
// Plain number closed forms

/**
 * `sigmoid(x) = 1 / (1 + e^-x)`, from `e = exp(-|x|)`: `1 / (1 + e)` for `x >= 0`, `e / (1 + e)`
 * below, so it never overflows and `sigmoid(-1000)` is 0.
 *
 * @example
 * ```ts
 * sigmoidValue(0) // 0.5
 * ```
 *
 * @category numbers
 */
export const sigmoidValue = (x: number): number => {
  const e = expNonPositive(-Math.abs(x))
  return x >= 0 ? 1 / (1 + e) : e / (1 + e)
}

/**
 * `sigmoid'(x) = sigmoid(x) sigmoid(-x) = e / (1 + e)^2` with `e = exp(-|x|)`: accurate in both
 * tails, where `s (1 - s)` would cancel for large `x`, and never above its bound 1/4.
 *
 * @example
 * ```ts
 * sigmoidDerivative(0) // 0.25
 * ```
 *
 * @category numbers
 */
export const sigmoidDerivative = (x: number): number => slope(expNonPositive(-Math.abs(x)))

/**
 * `e / (1 + e)^2`, the logistic slope from `e = exp(-|x|)`, clamped to its bound 1/4: near 0 the
 * rounding of `1 + e` could otherwise lift it an ulp above, while the true value rounds to 1/4.
 */
const slope = (e: number): number => {
  const q = 1 + e
  return Math.min(0.25, e / (q * q))
}

/**
 * `sigmoid''(x) = sigmoid'(x) (1 - 2 sigmoid(x)) = -sigmoid'(x) tanh(x / 2)`, without cancellation.
 *
 * @example
 * ```ts
 * sigmoidSecondDerivative(0) // -0: sigmoid' is largest at 0
 * ```
 *
 * @category numbers
 */
export const sigmoidSecondDerivative = (x: number): number => -sigmoidDerivative(x) * Math.tanh(0.5 * x)

/**
 * `softplus(x) = log(1 + e^x) = max(x, 0) + log1p(exp(-|x|))`: `softplus(1000)` is 1000 and
 * `softplus(-1000)` is `e^-1000` (0 in float64), never `Infinity`.
 *
 * @example
 * ```ts
 * softplusValue(0) // Math.LN2
 * ```
 *
 * @category numbers
 */
export const softplusValue = (x: number): number => Math.max(x, 0) + Math.log1p(expNonPositive(-Math.abs(x)))

// Beyond |x| > 800, exp(-|x|) is 0 in float64, so silu and its derivatives are exactly at their
// asymptotes; the cut-off only keeps Infinity * 0 (NaN) out at x = +-Infinity.
const SILU_FLAT = 800

// min silu = silu(x0) = x0 + 1 at the root x0 = -1.27846... of 1 + x sigmoid(-x) (mpmath, 50 digits)
const SILU_MIN = -0.2784645427610738

/**
 * `silu(x) = x sigmoid(x)` (the swish); its limit 0 at `-Infinity`.
 *
 * @example
 * ```ts
 * siluValue(1) // 0.7310585786300049
 * ```
 *
 * @category numbers
 */
export const siluValue = (x: number): number => (x > SILU_FLAT ? x : x < -SILU_FLAT ? 0 : x * sigmoidValue(x))

/**
 * `silu'(x) = sigmoid(x) + x sigmoid'(x)`.
 *
 * @example
 * ```ts
 * siluDerivative(0) // 0.5
 * ```
 *
 * @category numbers
 */
export const siluDerivative = (x: number): number =>
  x > SILU_FLAT ? 1 : x < -SILU_FLAT ? 0 : sigmoidValue(x) + x * sigmoidDerivative(x)

/**
 * `silu''(x) = sigmoid'(x) (2 + x (1 - 2 sigmoid(x))) = sigmoid'(x) (2 - x tanh(x / 2))`.
 *
 * @example
 * ```ts
 * siluSecondDerivative(0) // 0.5
 * ```
 *
 * @category numbers
 */
export const siluSecondDerivative = (x: number): number =>
  x > SILU_FLAT || x < -SILU_FLAT ? 0 : sigmoidDerivative(x) * (2 - x * Math.tanh(0.5 * x))

// ---------------------------------------------------------------------------------------------
// Generic definitions (the specification the closed forms are checked against)

/**
 * The generic sigmoid, branching on the sign so that no `exp` overflows.
 *
 * @example
 * ```ts
 * import { floatingNumber } from 'autodiff-ts'
 *
 * sigmoidScalar(floatingNumber)(0) // 0.5
 * ```
 *
 * @category generic
 */
export const sigmoidScalar: ScalarFn =
  <A>(F: Floating<A>) =>
  (x: A): A => {
    if (F.primal(x) >= 0) return F.recip(F.add(F.one, F.exp(F.neg(x))))
    const e = F.exp(x)
    return F.div(e, F.add(F.one, e))
  }

/**
 * The generic softplus. It branches on the sign rather than using `max(x, 0)` and `|x|`, whose
 * kink conventions at 0 (derivative 0 each) would not add up to `softplus'(0) = 1/2`.
 *
 * @example
 * ```ts
 * import { floatingNumber } from 'autodiff-ts'
 *
 * softplusScalar(floatingNumber)(0) // Math.LN2
 * ```
 *
 * @category generic
 */
export const softplusScalar: ScalarFn =
  <A>(F: Floating<A>) =>
  (x: A): A =>
    F.primal(x) > 0 ? F.add(x, F.log1p(F.exp(F.neg(x)))) : F.log1p(F.exp(x))

/**
 * The generic silu, `x sigmoid(x)`, at its asymptotes beyond `|x| > 800`.
 *
 * @example
 * ```ts
 * import { floatingNumber } from 'autodiff-ts'
 *
 * siluScalar(floatingNumber)(0) // 0
 * ```
 *
 * @category generic
 */
export const siluScalar: ScalarFn =
  <A>(F: Floating<A>) =>
  (x: A): A => {
    const p = F.primal(x)
    if (p > SILU_FLAT) return x
    if (p < -SILU_FLAT) return F.zero
    return F.mul(x, sigmoidScalar(F)(x))
  }

// ---------------------------------------------------------------------------------------------
// Fused kernels

const sigmoidKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = sigmoidValue(xs[i]!)
}

const sigmoidKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    const e = expNonPositive(-Math.abs(x))
    const q = 1 + e
    y[i] = x >= 0 ? 1 / q : e / q
    d[i] = slope(e)
  }
}

const softplusKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = softplusValue(xs[i]!)
}

const softplusKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    const e = expNonPositive(-Math.abs(x))
    y[i] = Math.max(x, 0) + Math.log1p(e)
    d[i] = x >= 0 ? 1 / (1 + e) : e / (1 + e)
  }
}

const siluKernel = (xs: ReadonlyFloat64Array, y: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) y[i] = siluValue(xs[i]!)
}

const siluKernelD = (xs: ReadonlyFloat64Array, y: Float64Array, d: Float64Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    if (x > SILU_FLAT) {
      y[i] = x
      d[i] = 1
    } else if (x < -SILU_FLAT) {
      y[i] = 0
      d[i] = 0
    } else {
      const e = expNonPositive(-Math.abs(x))
      const q = 1 + e
      const s = x >= 0 ? 1 / q : e / q
      y[i] = x * s
      d[i] = s + x * slope(e)
    }
  }
}

/**
 * sigmoid's kernels on plain arrays (Wasm where the backend offers them): the one statement of its
 * arithmetic, run by `Activation.sigmoid.diff` and by the rule table's `sigmoid` entry.
 *
 * @internal
 */
export const sigmoidKernels = arrayKernels(
  { value: sigmoidKernel, valueAndDerivative: sigmoidKernelD },
  { op: 'sigmoid', value: sigmoidValue, derivative: sigmoidDerivative, recompute: false },
)

// ---------------------------------------------------------------------------------------------
// Activations

/**
 * The logistic sigmoid `1 / (1 + e^-x)`, with values in `(0, 1)`: `sigmoid(-1000)` is 0 and
 * `sigmoid(1000)` is 1, never NaN. `sigmoid'(x) = sigmoid(x) sigmoid(-x)`, in `(0, 1/4]`, largest
 * at 0 and accurate to the last bits in both tails. No kinks.
 *
 * @example
 * ```ts
 * import { Activation, tensor } from 'autodiff-ts'
 *
 * Activation.sigmoid.value(0) // 0.5
 * Activation.sigmoid.derivative(0) // 0.25
 * Activation.sigmoid.diff.apply(tensor([-1000, 0, 1000])) // [0, 0.5, 1]
 * ```
 *
 * @category activations
 */
export const sigmoid: Activation = Object.freeze({
  name: 'sigmoid',
  scalar: sigmoidScalar,
  value: sigmoidValue,
  derivative: sigmoidDerivative,
  secondDerivative: sigmoidSecondDerivative,
  diff: fusedDiff('sigmoid', sigmoidKernels),
  range: Object.freeze([0, 1] as const),
  kinks: Object.freeze([]),
})

/**
 * `softplus(x) = log(1 + e^x)`, a smooth relu, computed as `max(x, 0) + log1p(exp(-|x|))`:
 * `softplus(1000)` is 1000, `softplus(-1000)` is 0, never `Infinity`. Its derivative is the
 * sigmoid, its second derivative `sigmoid'`. No kinks.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.softplus.value(1000) // 1000
 * Activation.softplus.derivative(0) // 0.5
 * ```
 *
 * @category activations
 */
export const softplus: Activation = Object.freeze({
  name: 'softplus',
  scalar: softplusScalar,
  value: softplusValue,
  derivative: sigmoidValue,
  secondDerivative: sigmoidDerivative,
  diff: builtInDiff('softplus', { value: softplusKernel, valueAndDerivative: softplusKernelD }),
  range: Object.freeze([0, Infinity] as const),
  kinks: Object.freeze([]),
})

/**
 * `silu(x) = x sigmoid(x)` (the swish of Ramachandran et al.), with
 * `silu'(x) = sigmoid(x) + x sigmoid'(x)`. Its minimum, about -0.2785, is at `x ≈ -1.2785`. Limits
 * 0 at `-Infinity` and `x` at `+Infinity`. No kinks.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.silu.value(0) // 0
 * Activation.silu.derivative(0) // 0.5
 * ```
 *
 * @category activations
 */
export const silu: Activation = Object.freeze({
  name: 'silu',
  scalar: siluScalar,
  value: siluValue,
  derivative: siluDerivative,
  secondDerivative: siluSecondDerivative,
  diff: builtInDiff('silu', { value: siluKernel, valueAndDerivative: siluKernelD }),
  range: Object.freeze([SILU_MIN, Infinity] as const),
  kinks: Object.freeze([]),
})
