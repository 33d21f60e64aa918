/**
 * The tensor type and its parts: a shape and a read-only view of float64 data.
 *
 * @packageDocumentation
 */
import type { Shape } from '../Shape.js'

/**
 * A `Float64Array` seen through a read-only lens: indexing reads, nothing writes.
 *
 * @example
 * ```ts
 * import { zeros } from 'autodiff-ts'
 *
 * const t = zeros([2])
 * t.data[0] // 0
 * // t.data[0] = 1 does not compile: the index signature is read-only
 * ```
 * @category model
 */
export type ReadonlyFloat64Array = Omit<
  Float64Array,
  'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort' | number
> & { readonly [index: number]: number }

/**
 * An immutable n-d array of float64 in row-major order.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from 'autodiff-ts'
 *
 * const t: Tensor = tensor([[1, 2], [3, 4]])
 * t.shape // [2, 2]
 * Array.from(t.data) // [1, 2, 3, 4]
 * ```
 * @category model
 */
export interface Tensor {
  /** The extent of each axis, outermost first. */
  readonly shape: Shape
  /** The elements in row-major order; `data.length` is the product of `shape`. */
  readonly data: ReadonlyFloat64Array
}

/**
 * A number or a (possibly nested) readonly array of them: the input of {@link tensor} and the
 * output of {@link toArray}.
 *
 * @example
 * ```ts
 * import { tensor, type Nested } from 'autodiff-ts'
 *
 * const rows: Nested = [[1, 2], [3, 4]]
 * tensor(rows).shape // [2, 2]
 * ```
 * @category model
 */
export type Nested = number | readonly Nested[]
