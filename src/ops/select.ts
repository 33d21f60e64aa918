/**
 * `where(cond)`: elementwise selection between two differentiable tensors, with a NaN-safe
 * derivative.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { where as wherePrim } from '../program/prims.js'
import { fromBinaryPrim } from './fromTable.js'
import type { BinaryOp } from './Primitive.js'

/**
 * `cond ? x : y` elementwise, as `jnp.where(cond, x, y)`: `cond` is a constant tensor (non-zero
 * is true, NaN included), and `cond`, `x`, `y` broadcast together. The derivative is selection,
 * not multiplication by a mask: the branch not taken receives exactly 0 (never `0 * NaN` or
 * `0 * Infinity`), in the JVP and in the pullback. Gradients through `where` are therefore finite
 * wherever the taken branch's are, provided the branch not taken does not itself produce NaN in
 * its own derivative (compute it on safe inputs, JAX's "double where").
 *
 * @throws ShapeError naming `where` and the shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, tensor, zeros } from 'autodiff-ts'
 *
 * const safe = ops.where(tensor([0, 1]))
 * safe.apply([ops.sqrt.apply(tensor([-1, 4])), zeros([2])]) // [0, 2]
 * // the branch not taken gets exactly 0, even where it holds NaN or Infinity
 * safe.vjp([tensor([NaN, 1]), tensor([1, Infinity])])[1](tensor([1, 1])) // [[0, 1], [1, 0]]
 * ```
 * @category selection
 */
export const where = (cond: Tensor): BinaryOp => fromBinaryPrim(wherePrim, Object.freeze({ kind: 'mask' as const, value: cond, batchTags: [] }))
