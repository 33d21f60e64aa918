/**
 * Unary elementwise kernels: one specialised loop per built-in operation (no function call per
 * element), and {@link mapUnary}, the generic fallback for user-defined operations, which calls
 * a function per element.
 *
 * NaN and infinities flow through as IEEE 754 and `Math` say; no kernel throws on them.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array } from '../Tensor.js'

type In = ReadonlyFloat64Array


/**
 * `f(x[i])` for every element; one call per element, so only the fallback for user-defined
 * functions. Built-in operations have their own loops below.
 *
 * @example
 * ```ts
 * mapUnary(Float64Array.of(1, 2), (v) => v * 10) // [10, 20]
 * ```
 * @category kernels
 */
export const mapUnary = (x: In, f: (v: number) => number): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!)
  return out
}

/**
 * `-x`.
 *
 * @example
 * ```ts
 * negK(Float64Array.of(1, -2)) // [-1, 2]
 * ```
 * @category kernels
 */
export const negK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = -x[i]!
  return out
}

/**
 * `c * x`.
 *
 * @example
 * ```ts
 * scaleK(Float64Array.of(1, 2), 3) // [3, 6]
 * ```
 * @category kernels
 */
export const scaleK = (x: In, c: number): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = c * x[i]!
  return out
}

/**
 * `e^x`.
 *
 * @example
 * ```ts
 * expK(Float64Array.of(0)) // [1]
 * ```
 * @category kernels
 */
export const expK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!)
  return out
}

/**
 * Natural logarithm (`-Infinity` at 0, NaN below).
 *
 * @example
 * ```ts
 * logK(Float64Array.of(1)) // [0]
 * ```
 * @category kernels
 */
export const logK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!)
  return out
}

/**
 * `log(1 + x)`, accurate near 0.
 *
 * @example
 * ```ts
 * log1pK(Float64Array.of(1e-20)) // [1e-20]
 * ```
 * @category kernels
 */
export const log1pK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = Math.log1p(x[i]!)
  return out
}

/**
 * Square root (NaN below 0).
 *
 * @example
 * ```ts
 * sqrtK(Float64Array.of(4)) // [2]
 * ```
 * @category kernels
 */
export const sqrtK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!)
  return out
}

/**
 * `|x|`.
 *
 * @example
 * ```ts
 * absK(Float64Array.of(-2)) // [2]
 * ```
 * @category kernels
 */
export const absK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!)
  return out
}

/**
 * The logistic sigmoid `1 / (1 + e^-x)`, from `e = e^-|x|`, which never overflows: `1 / (1 + e)`
 * for `x >= 0` and `e / (1 + e)` below. Accurate to a couple of ulps at every input, subnormal
 * results included (plain `1 / (1 + e^-x)` flushes them to 0 once `e^-x` overflows, below about
 * -709.78); `sigmoid(-1000)` is 0, not NaN.
 *
 * @example
 * ```ts
 * sigmoidK(Float64Array.of(0, -1000)) // [0.5, 0]
 * ```
 * @category kernels
 */
export const sigmoidK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!
    const e = Math.exp(-Math.abs(v))
    const r = 1 / (1 + e)
    out[i] = v >= 0 ? r : e * r
  }
  return out
}

/**
 * `g * s * (1 - s)`: the sigmoid pullback from the sigmoid's output `s` and the cotangent `g`
 * (same length).
 *
 * @example
 * ```ts
 * sigmoidBackK(Float64Array.of(0.5), Float64Array.of(1)) // [0.25]
 * ```
 * @category kernels
 */
export const sigmoidBackK = (s: In, g: In): Float64Array => {
  const out = new Float64Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!
    out[i] = g[i]! * v * (1 - v)
  }
  return out
}

// Below this, 1 - s has lost more than about 1e-10 of its relative accuracy to the rounding of s
// (about 3e-16 absolute), so sigma(-x) is computed from x instead (x > 12.5, rare in practice).
const TAIL = 3.814697265625e-6 // 2^-18

/** `sigma(x) sigma(-x)` in the upper tail, from `x` and `s = sigma(x)`: `s e / (1 + e)`, `e = exp(-|x|)`. */
const upperSlope = (x: number, s: number): number => {
  const e = Math.exp(-Math.abs(x))
  return s * (e * (1 / (1 + e)))
}

/**
 * `g * sigma(x) sigma(-x)`, the sigmoid pullback, from its input `x`, its output `s` and the
 * cotangent `g` (same length) in one pass: `s (1 - s)`, except in the upper tail, where `1 - s`
 * has lost its accuracy and `sigma(-x)` is computed from `x` (so it agrees with
 * `sigma(x) sigma(-x)` to a relative 1e-10 everywhere, where {@link sigmoidBackK} is 0 past 37).
 *
 * @example
 * ```ts
 * sigmoidSlopeK(Float64Array.of(0, 40), Float64Array.of(0.5, 1), Float64Array.of(1, 1)) // [0.25, Math.exp(-40)]
 * ```
 * @category kernels
 */
export const sigmoidSlopeK = (x: In, s: In, g: In): Float64Array => {
  const out = new Float64Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!
    const c = 1 - v
    out[i] = g[i]! * (c > TAIL ? v * c : upperSlope(x[i]!, v))
  }
  return out
}

/**
 * {@link sigmoidSlopeK} for one cotangent value `g` shared by every element: the sigmoid pullback
 * of a uniform cotangent (such as the one a full `sum` sends back).
 *
 * @example
 * ```ts
 * sigmoidSlopeScalarK(Float64Array.of(0, 0), Float64Array.of(0.5, 0.5), 2) // [0.5, 0.5]
 * ```
 * @category kernels
 */
export const sigmoidSlopeScalarK = (x: In, s: In, g: number): Float64Array => {
  const out = new Float64Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!
    const c = 1 - v
    out[i] = g * (c > TAIL ? v * c : upperSlope(x[i]!, v))
  }
  return out
}

/**
 * `max(x, 0)` (NaN stays NaN).
 *
 * @example
 * ```ts
 * reluK(Float64Array.of(-1, 2)) // [0, 2]
 * ```
 * @category kernels
 */
export const reluK = (x: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!
    out[i] = v > 0 ? v : v === v ? 0 : v
  }
  return out
}

/**
 * `g` where `x > 0`, else 0: the relu pullback, with derivative 0 at 0 (and where `x` is NaN,
 * NaN).
 *
 * @example
 * ```ts
 * reluBackK(Float64Array.of(-1, 0, 2), Float64Array.of(5, 5, 5)) // [0, 0, 5]
 * ```
 * @category kernels
 */
export const reluBackK = (x: In, g: In): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!
    out[i] = v > 0 ? g[i]! : v === v ? 0 : v
  }
  return out
}

/**
 * `g` where `x > 0`, else 0, for one cotangent value `g` shared by every element (NaN where `x`
 * is NaN).
 *
 * @example
 * ```ts
 * reluBackScalarK(Float64Array.of(-1, 0, 2), 5) // [0, 0, 5]
 * ```
 * @category kernels
 */
export const reluBackScalarK = (x: In, g: number): Float64Array => {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!
    out[i] = v > 0 ? g : v === v ? 0 : v
  }
  return out
}
