/**
 * Reading tensors: size, rank, elements, a writable copy, and the guard {@link isTensor}.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape } from '../Shape.js'
import { shapeSize, strides } from '../kernels/shape.js'
import type { Tensor } from './types.js'

/**
 * The number of elements.
 *
 * @example
 * ```ts
 * import { zeros } from 'autodiff-ts'
 *
 * size(zeros([2, 3])) // 6
 * ```
 * @category accessors
 */
export const size = (t: Tensor): number => t.data.length

/**
 * The number of axes.
 *
 * @example
 * ```ts
 * import { scalar, zeros } from 'autodiff-ts'
 *
 * rank(zeros([2, 3])) // 2
 * rank(scalar(1)) // 0
 * ```
 * @category accessors
 */
export const rank = (t: Tensor): number => t.shape.length

/**
 * The value of a tensor with exactly one element (any rank), as PyTorch's `item()`.
 *
 * @throws ShapeError if the tensor does not have exactly one element.
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * item(tensor([[5]])) // 5
 * ```
 * @category accessors
 */
export const item = (t: Tensor): number => {
  if (t.data.length !== 1) throw new ShapeError('item', 'a tensor with exactly one element', [t.shape])
  return t.data[0]!
}

/**
 * The element at a full index (one non-negative integer per axis).
 *
 * @throws ShapeError if the index has the wrong length or is out of range.
 * @example
 * ```ts
 * import { tensor } from 'autodiff-ts'
 *
 * at(tensor([[1, 2], [3, 4]]), [1, 0]) // 3
 * ```
 * @category accessors
 */
export const at = (t: Tensor, index: readonly number[]): number => {
  const s = strides(t.shape)
  if (index.length !== t.shape.length)
    throw new ShapeError('at', `an index of length ${t.shape.length}, got [${index.join(', ')}]`, [t.shape])
  let k = 0
  for (let i = 0; i < index.length; i++) {
    const j = index[i]!
    if (!Number.isInteger(j) || j < 0 || j >= t.shape[i]!)
      throw new ShapeError('at', `index [${index.join(', ')}] in range`, [t.shape])
    k += j * s[i]!
  }
  return t.data[k]!
}

/**
 * A fresh, writable copy of the data in row-major order.
 *
 * @example
 * ```ts
 * import { ones } from 'autodiff-ts'
 *
 * const buf = toFloat64Array(ones([2])) // Float64Array [1, 1], yours to change
 * ```
 * @category accessors
 */
export const toFloat64Array = (t: Tensor): Float64Array => Float64Array.from(t.data as ArrayLike<number>)

/**
 * Whether a value is a well-formed tensor: a valid shape and a `Float64Array` of matching size.
 *
 * @example
 * ```ts
 * import { zeros } from 'autodiff-ts'
 *
 * isTensor(zeros([2])) // true
 * isTensor([1, 2]) // false
 * ```
 * @category guards
 */
export const isTensor = (u: unknown): u is Tensor => {
  if (typeof u !== 'object' || u === null) return false
  const { shape, data } = u as { shape?: unknown; data?: unknown }
  return (
    Array.isArray(shape) &&
    shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    data instanceof Float64Array &&
    data.length === shapeSize(shape as Shape)
  )
}
