/**
 * Copying kernels for slicing, padding and concatenation along one axis. Data is seen as
 * `[outer, n, inner]` around the axis, so every copy is of contiguous runs of `n * inner` or
 * fewer elements.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array, Shape } from '../Tensor.js'
import { splitAt } from './reduce.js'

/**
 * Elements `start .. end` (end excluded) along `axis` of data of shape `shape`; a fresh array of
 * the sliced shape. Bounds are assumed valid.
 *
 * @example
 * ```ts
 * sliceAxis(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], 1, 1, 3) // [2, 3, 5, 6]
 * ```
 * @category kernels
 */
export const sliceAxis = (x: ReadonlyFloat64Array, shape: Shape, axis: number, start: number, end: number): Float64Array => {
  const [outer, n, inner] = splitAt(shape, axis)
  const m = end - start
  const run = m * inner
  const out = new Float64Array(outer * run)
  for (let o = 0; o < outer; o++) {
    const src = (o * n + start) * inner
    const dst = o * run
    for (let j = 0; j < run; j++) out[dst + j] = x[src + j]!
  }
  return out
}

/**
 * The adjoint of {@link sliceAxis}: data of shape `shape` (the slice) placed at `start` along
 * `axis` in zeros of extent `n` there.
 *
 * @example
 * ```ts
 * padAxis(Float64Array.of(2, 3, 5, 6), [2, 2], 1, 1, 3) // [0, 2, 3, 0, 5, 6]
 * ```
 * @category kernels
 */
export const padAxis = (x: ReadonlyFloat64Array, shape: Shape, axis: number, start: number, n: number): Float64Array => {
  const [outer, m, inner] = splitAt(shape, axis)
  const run = m * inner
  const out = new Float64Array(outer * n * inner)
  for (let o = 0; o < outer; o++) {
    const dst = (o * n + start) * inner
    const src = o * run
    for (let j = 0; j < run; j++) out[dst + j] = x[src + j]!
  }
  return out
}

/**
 * Concatenates data along `axis`: `parts[i]` has shape `shapes[i]`, all equal except along the
 * axis (assumed checked). Returns a fresh array of the joined shape.
 *
 * @example
 * ```ts
 * concatAxis([Float64Array.of(1, 2), Float64Array.of(3)], [[1, 2], [1, 1]], 1) // [1, 2, 3]
 * ```
 * @category kernels
 */
export const concatAxis = (parts: readonly ReadonlyFloat64Array[], shapes: readonly Shape[], axis: number): Float64Array => {
  const first = shapes[0]!
  const [outer, , inner] = splitAt(first, axis)
  let total = 0
  for (const s of shapes) total += s[axis]!
  const out = new Float64Array(outer * total * inner)
  let at = 0
  for (let p = 0; p < parts.length; p++) {
    const x = parts[p]!
    const run = shapes[p]![axis]! * inner
    for (let o = 0; o < outer; o++) {
      const dst = (o * total + at) * inner
      const src = o * run
      for (let j = 0; j < run; j++) out[dst + j] = x[src + j]!
    }
    at += shapes[p]![axis]!
  }
  return out
}
