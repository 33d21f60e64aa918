/**
 * Reductions: sums and maxima over all elements or along one axis, and the stable
 * log-sum-exp along an axis with the softmax weights its pullback needs.
 *
 * An axis reduction sees the data as `[outer, n, inner]` (`n` the reduced axis) and keeps the
 * innermost loop contiguous: along the last axis it runs down each row, along any other it adds
 * whole rows of `inner` at a time.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array, Shape } from '../Tensor.js'

type In = ReadonlyFloat64Array

/**
 * `[outer, n, inner]`: the sizes before, at and after `axis` (assumed valid).
 *
 * @example
 * ```ts
 * splitAt([2, 3, 4], 1) // [2, 3, 4]
 * splitAt([2, 3, 4], 2) // [6, 4, 1]
 * ```
 * @category kernels
 */
export const splitAt = (shape: Shape, axis: number): readonly [number, number, number] => {
  let outer = 1
  let inner = 1
  for (let d = 0; d < axis; d++) outer *= shape[d]!
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!
  return [outer, shape[axis]!, inner]
}

/**
 * The sum of all elements (0 for none), with four partial sums.
 *
 * @example
 * ```ts
 * sumAll(Float64Array.of(1, 2, 3)) // 6
 * ```
 * @category kernels
 */
export const sumAll = (x: In): number => {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0
  const n = x.length
  let i = 0
  for (; i + 3 < n; i += 4) {
    s0 += x[i]!
    s1 += x[i + 1]!
    s2 += x[i + 2]!
    s3 += x[i + 3]!
  }
  for (; i < n; i++) s0 += x[i]!
  return s0 + s1 + (s2 + s3)
}

/** `v` replaces the running maximum `m`: it is larger, or it is +0 against -0 (as `Math.max`). */
const beats = (v: number, m: number): boolean => v > m || (v === 0 && m === 0 && 1 / m < 0)

/**
 * The largest element (`-Infinity` for none; NaN if any is NaN; +0 is larger than -0, as in
 * `Math.max`).
 *
 * @example
 * ```ts
 * maxAll(Float64Array.of(1, 5, 3)) // 5
 * ```
 * @category kernels
 */
export const maxAll = (x: In): number => {
  let m = -Infinity
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!
    if (beats(v, m)) m = v
    else if (v !== v) return NaN
  }
  return m
}

/**
 * Sums along `axis`: data of the shape without that axis.
 *
 * @example
 * ```ts
 * sumAxis(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], 1) // [6, 15]
 * sumAxis(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], 0) // [5, 7, 9]
 * ```
 * @category kernels
 */
export const sumAxis = (x: In, shape: Shape, axis: number): Float64Array => {
  const [outer, n, inner] = splitAt(shape, axis)
  const out = new Float64Array(outer * inner)
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s0 = 0, s1 = 0
      const base = o * n
      let k = 0
      for (; k + 1 < n; k += 2) {
        s0 += x[base + k]!
        s1 += x[base + k + 1]!
      }
      if (k < n) s0 += x[base + k]!
      out[o] = s0 + s1
    }
    return out
  }
  for (let o = 0; o < outer; o++) {
    const dst = o * inner
    for (let k = 0; k < n; k++) {
      const src = (o * n + k) * inner
      for (let i = 0; i < inner; i++) out[dst + i] = out[dst + i]! + x[src + i]!
    }
  }
  return out
}

/**
 * Maxima along `axis` (`-Infinity` where the axis is empty; NaN where a NaN is met).
 *
 * @example
 * ```ts
 * maxAxis(Float64Array.of(1, 9, 3, 4, 5, 6), [2, 3], 1) // [9, 6]
 * ```
 * @category kernels
 */
export const maxAxis = (x: In, shape: Shape, axis: number): Float64Array => {
  const [outer, n, inner] = splitAt(shape, axis)
  const out = new Float64Array(outer * inner).fill(-Infinity)
  for (let o = 0; o < outer; o++) {
    const dst = o * inner
    for (let k = 0; k < n; k++) {
      const src = (o * n + k) * inner
      for (let i = 0; i < inner; i++) {
        const v = x[src + i]!
        const m = out[dst + i]!
        if (beats(v, m) || v !== v) out[dst + i] = m !== m ? m : v
      }
    }
  }
  return out
}

/**
 * `log(sum(exp(x)))` along `axis`, shifted by the maximum so that it neither overflows nor
 * underflows: `m + log(sum(exp(x - m)))`, with the shift 0 when the maximum is infinite (so an
 * all `-Infinity` row gives `-Infinity` and a row holding `+Infinity` gives `+Infinity`).
 * Data of the shape without the axis.
 *
 * @example
 * ```ts
 * logSumExpAxis(Float64Array.of(1000, 1000), [2], 0) // [1000 + Math.LN2]
 * ```
 * @category kernels
 */
export const logSumExpAxis = (x: In, shape: Shape, axis: number): Float64Array => {
  const [outer, n, inner] = splitAt(shape, axis)
  const m = maxAxis(x, shape, axis)
  const out = new Float64Array(outer * inner)
  for (let j = 0; j < m.length; j++) if (m[j] === Infinity || m[j] === -Infinity) m[j] = 0
  for (let o = 0; o < outer; o++) {
    const dst = o * inner
    for (let k = 0; k < n; k++) {
      const src = (o * n + k) * inner
      for (let i = 0; i < inner; i++) out[dst + i] = out[dst + i]! + Math.exp(x[src + i]! - m[dst + i]!)
    }
  }
  for (let j = 0; j < out.length; j++) out[j] = m[j]! + Math.log(out[j]!)
  return out
}

/**
 * The pullback of log-sum-exp along `axis`: `g * exp(x - lse)` (the softmax weights times the
 * cotangent, broadcast along the axis), with weight exactly 0 where `x` is `-Infinity`, so a row
 * of `-Infinity` gets a zero gradient instead of NaN. `lse` and `g` have the reduced shape.
 *
 * @example
 * ```ts
 * logSumExpBackAxis(Float64Array.of(0, 0), [2], 0, Float64Array.of(Math.LN2), Float64Array.of(1))
 * // [0.5, 0.5]
 * ```
 * @category kernels
 */
export const logSumExpBackAxis = (x: In, shape: Shape, axis: number, lse: In, g: In): Float64Array => {
  const [outer, n, inner] = splitAt(shape, axis)
  const out = new Float64Array(x.length)
  for (let o = 0; o < outer; o++) {
    const r = o * inner
    for (let k = 0; k < n; k++) {
      const src = (o * n + k) * inner
      for (let i = 0; i < inner; i++) {
        const v = x[src + i]!
        out[src + i] = v === -Infinity ? 0 : g[r + i]! * Math.exp(v - lse[r + i]!)
      }
    }
  }
  return out
}
