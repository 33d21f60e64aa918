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
