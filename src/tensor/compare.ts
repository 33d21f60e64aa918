/**
 * Comparing and showing tensors: exact and approximate equality, the largest difference, and the
 * fp-ts `Eq` and `Show` instances.
 *
 * @packageDocumentation
 */
import type { Eq } from 'fp-ts/lib/Eq.js'
import type { Show } from 'fp-ts/lib/Show.js'
import { ShapeError } from '../ShapeError.js'
import { shapeEquals, showShape } from '../kernels/shape.js'
import type { Nested, Tensor } from './types.js'
import { toArray } from './nested.js'

/**
 * Exact equality: same shape and every element equal, NaN equal to NaN and 0 equal to -0
 * (SameValueZero).
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * equals(tensor([1, NaN]), tensor([1, NaN])) // true
 * equals(tensor([1, 2]), tensor([[1, 2]])) // false: shapes differ
 * ```
 * @category comparison
 */
export const equals = (a: Tensor, b: Tensor): boolean => {
  if (!shapeEquals(a.shape, b.shape)) return false
  const x = a.data
  const y = b.data
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!
    const q = y[i]!
    if (p !== q && !(p !== p && q !== q)) return false
  }
  return true
}

/**
 * Options of {@link allClose}: `|a - b| <= atol + rtol * |b|` elementwise, as NumPy.
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * const loose: CloseOptions = { rtol: 1e-3, equalNan: true }
 * allClose(tensor([1, NaN]), tensor([1.0001, NaN]), loose) // true
 * ```
 * @category comparison
 */
export interface CloseOptions {
  /** Relative tolerance; default `1e-5`. */
  readonly rtol?: number
  /** Absolute tolerance; default `1e-8`. */
  readonly atol?: number
  /** Whether NaN matches NaN; default `false`, as NumPy. */
  readonly equalNan?: boolean
}

/**
 * Approximate equality as NumPy's `allclose`: same shape, and `|a - b| <= atol + rtol * |b|` for
 * every element; equal infinities match; NaN matches NaN only with `equalNan`.
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * allClose(tensor([1, 2]), tensor([1 + 1e-9, 2])) // true
 * allClose(tensor([1]), tensor([1.1]), { rtol: 0.01 }) // false
 * ```
 * @category comparison
 */
export const allClose = (a: Tensor, b: Tensor, options: CloseOptions = {}): boolean => {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options
  if (!shapeEquals(a.shape, b.shape)) return false
  for (let i = 0; i < a.data.length; i++) {
    const p = a.data[i]!
    const q = b.data[i]!
    if (p === q) continue
    if (p !== p || q !== q) {
      if (equalNan && p !== p && q !== q) continue
      return false
    }
    if (p === Infinity || p === -Infinity || q === Infinity || q === -Infinity) return false
    if (!(Math.abs(p - q) <= atol + rtol * Math.abs(q))) return false
  }
  return true
}

/**
 * The largest elementwise `|a - b|` of two tensors of the same shape (NaN if any difference is
 * NaN, 0 for empty tensors). Handy in test failure messages.
 *
 * @throws ShapeError if the shapes differ.
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * maxAbsDiff(tensor([1, 2]), tensor([1, 2.5])) // 0.5
 * ```
 * @category comparison
 */
export const maxAbsDiff = (a: Tensor, b: Tensor): number => {
  if (!shapeEquals(a.shape, b.shape)) throw new ShapeError('maxAbsDiff', 'equal shapes', [a.shape, b.shape])
  let m = 0
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!)
    if (d !== d) return NaN
    if (d > m) m = d
  }
  return m
}

/**
 * The fp-ts `Eq` instance of {@link equals}.
 *
 * @example
 * ```ts
 * import { tensor, zeros } from 'autodiff-ts'
 *
 * EqTensor.equals(zeros([2]), tensor([0, 0])) // true
 * ```
 * @category instances
 */
export const EqTensor: Eq<Tensor> = { equals }

/**
 * The fp-ts `Show` instance: `tensor([2, 2], [[1, 2], [3, 4]])`.
 *
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * ShowTensor.show(tensor([1, 2])) // 'tensor([2], [1, 2])'
 * ```
 * @category instances
 */
export const ShowTensor: Show<Tensor> = {
  show: (t) => `tensor(${showShape(t.shape)}, ${showNested(toArray(t))})`,
}

const showNested = (n: Nested): string =>
  typeof n === 'number' ? (Object.is(n, -0) ? '-0' : String(n)) : `[${n.map(showNested).join(', ')}]`
