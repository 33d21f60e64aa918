/**
 * Immutable n-dimensional arrays of float64.
 *
 * @packageDocumentation
 */

/**
 * A `Float64Array` seen through a read-only lens: indexing reads, nothing writes.
 *
 * @category model
 */
export type ReadonlyFloat64Array = Omit<
  Float64Array,
  'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort' | number
> & { readonly [index: number]: number }

/**
 * The extent of each axis, outermost first. `[]` is a scalar, `[3]` a vector, `[2, 3]` a matrix.
 *
 * @category model
 */
export type Shape = readonly number[]

/**
 * An immutable n-d array of float64 in row-major order.
 *
 * @category model
 */
export interface Tensor {
  readonly shape: Shape
  readonly data: ReadonlyFloat64Array
}
