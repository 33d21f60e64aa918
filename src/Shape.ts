/**
 * The shape of a tensor, in a module of its own so that the tensor, its errors and the shape
 * arithmetic of the kernels all depend on it and not on each other.
 *
 * @packageDocumentation
 */

/**
 * The extent of each axis, outermost first. `[]` is a scalar, `[3]` a vector, `[2, 3]` a matrix.
 *
 * @example
 * ```ts
 * import { zeros, type Shape } from 'autodiff-ts'
 *
 * const s: Shape = [2, 3]
 * zeros(s).shape // [2, 3]
 * ```
 * @category model
 */
export type Shape = readonly number[]
