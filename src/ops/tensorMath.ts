/**
 * Plain (non-differentiable) tensor arithmetic with NumPy broadcasting: what the primitives'
 * rules are written in. Each function allocates its result and never writes into its inputs.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import type { BinaryRow } from '../kernels/binary.js'
import { addRow, binaryBroadcast, divRow, mulRow, selectK, subRow } from '../kernels/binary.js'
import { negK } from '../kernels/unary.js'
import { broadcastsTo } from '../kernels/shape.js'
import { uniformValue } from './uniform.js'

// A uniform operand (see uniform.ts) that broadcasts to the other's shape is read as its one
// value, so its data is never made.
const lift =
  (op: string, row: BinaryRow) =>
  (a: Tensor, b: Tensor): Tensor => {
    const ub = uniformValue(b)
    if (ub !== undefined && broadcastsTo(b.shape, a.shape)) {
      const [s, d] = binaryBroadcast(op, row, a.data, a.shape, Float64Array.of(ub), [])
      return wrap(s, d)
    }
    const ua = uniformValue(a)
    if (ua !== undefined && broadcastsTo(a.shape, b.shape)) {
      const [s, d] = binaryBroadcast(op, row, Float64Array.of(ua), [], b.data, b.shape)
      return wrap(s, d)
    }
    const [s, d] = binaryBroadcast(op, row, a.data, a.shape, b.data, b.shape)
    return wrap(s, d)
  }

/**
 * `a + b` with broadcasting.
 *
 * @throws ShapeError naming `add` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.plus(tensor([1, 2]), scalar(1)) // tensor([2, 3])
 * ```
 * @category tensor math
 */
export const plus: (a: Tensor, b: Tensor) => Tensor = lift('add', addRow)

/**
 * `a - b` with broadcasting.
 *
 * @throws ShapeError naming `sub` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.minus(tensor([1, 2]), scalar(1)) // tensor([0, 1])
 * ```
 * @category tensor math
 */
export const minus: (a: Tensor, b: Tensor) => Tensor = lift('sub', subRow)

/**
 * `a * b` elementwise with broadcasting.
 *
 * @throws ShapeError naming `mul` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.times(tensor([1, 2]), scalar(3)) // tensor([3, 6])
 * ```
 * @category tensor math
 */
export const times: (a: Tensor, b: Tensor) => Tensor = lift('mul', mulRow)

/**
 * `a / b` elementwise with broadcasting.
 *
 * @throws ShapeError naming `div` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.over(tensor([1, 2]), scalar(2)) // tensor([0.5, 1])
 * ```
 * @category tensor math
 */
export const over: (a: Tensor, b: Tensor) => Tensor = lift('div', divRow)

/**
 * `-x`.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.negate(tensor([1, -2])) // tensor([-1, 2])
 * ```
 * @category tensor math
 */
export const negate = (x: Tensor): Tensor => wrap(x.shape, negK(x.data))

/**
 * `cond ? x : y` elementwise (non-zero is true), the three broadcast together: the value not
 * taken never enters the result, so NaN or infinity there cannot leak.
 *
 * @throws ShapeError naming `where` and the shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.select(tensor([1, 0]), tensor([NaN, 2]), scalar(0)) // tensor([NaN, 0])
 * ```
 * @category tensor math
 */
export const select = (cond: Tensor, x: Tensor, y: Tensor): Tensor => {
  const [s, d] = selectK(cond.data, cond.shape, x.data, x.shape, y.data, y.shape)
  return wrap(s, d)
}
