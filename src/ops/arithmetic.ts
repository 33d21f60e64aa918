/**
 * Binary arithmetic primitives with NumPy broadcasting: add, sub, mul, div, pow, maximum,
 * minimum. Each is a `Diff<readonly [Tensor, Tensor], Tensor>` declared once (value, per-argument
 * JVP and pullback, conventions); each pullback returns every input a cotangent of its own shape.
 * All are the rule table's entries (`Program.prims`): value, JVP, pullback and conventions.
 *
 * @packageDocumentation
 */
import type { BinaryOp } from './Primitive.js'
import { binaryPrims, extraBinaryPrims } from '../program/prims.js'
import { fromBinaryPrim } from './fromTable.js'

/**
 * `a + b`, broadcasting. The add node passes the cotangent through unchanged to both inputs
 * (summed down to an input's shape where it was broadcast).
 *
 * @throws ShapeError naming `add` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.add.apply([tensor([[1, 2], [3, 4]]), tensor([10, 20])]) // [[11, 22], [13, 24]]
 * // the cotangent goes to both inputs, summed over the broadcast axis for the second
 * ops.add.vjp([tensor([[1, 2], [3, 4]]), tensor([10, 20])])[1](tensor([[1, 2], [3, 4]])) // [[[1, 2], [3, 4]], [4, 6]]
 * ```
 * @category arithmetic
 */
export const add: BinaryOp = fromBinaryPrim(binaryPrims.add, undefined)

/**
 * `a - b`, broadcasting: cotangents `g` and `-g`.
 *
 * @throws ShapeError naming `sub` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.sub.apply([tensor([3, 4]), scalar(1)]) // [2, 3]
 * ```
 * @category arithmetic
 */
export const sub: BinaryOp = fromBinaryPrim(binaryPrims.sub, undefined)

/**
 * `a * b` elementwise, broadcasting. The mul node sends each input the cotangent times the
 * *other* input: `g b` to `a`, `g a` to `b`.
 *
 * @throws ShapeError naming `mul` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.mul.vjp([tensor([2]), tensor([5])])[1](tensor([1])) // [[5], [2]]: each input gets the other
 * ```
 * @category arithmetic
 */
export const mul: BinaryOp = fromBinaryPrim(binaryPrims.mul, undefined)

/**
 * `a / b` elementwise, broadcasting: cotangents `g / b` and `-g (a / b) / b`. Division by zero
 * follows IEEE (infinities and NaN), in the value and in the derivatives.
 *
 * @throws ShapeError naming `div` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.div.apply([tensor([1, 2]), scalar(4)]) // [0.25, 0.5]
 * ```
 * @category arithmetic
 */
export const div: BinaryOp = fromBinaryPrim(binaryPrims.div, undefined)

/**
 * `a ** b` elementwise (`Math.pow`), broadcasting. Conventions as the scalar rule of `Rule.ts`,
 * declared once on the table's entry:
 * `∂/∂b = a^b log a` is taken as 0 where `a <= 0` (there `a^b` is not differentiable in `b`),
 * and `∂/∂a = b a^(b-1)` as 0 where `b = 0` (so `x^0` has derivative 0 even at `x = 0`).
 * To raise to a constant power, fix the exponent: `bindRight(pow, scalar(3))`.
 *
 * @throws ShapeError naming `pow` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.pow.apply([tensor([2, 3]), scalar(2)]) // [4, 9]
 * ops.bindRight(ops.pow, scalar(3)).vjp(tensor([2]))[1](tensor([1])) // [12]
 * ```
 * @category arithmetic
 */
export const pow: BinaryOp = fromBinaryPrim(extraBinaryPrims.pow, undefined)

/**
 * The elementwise maximum, broadcasting. At a tie `a = b` the cotangent is split half and half
 * (as PyTorch's `maximum` and JAX's `max`), so the two partial derivatives sum to 1; where an
 * operand is NaN the result is NaN and that operand gets the whole cotangent.
 *
 * @throws ShapeError naming `maximum` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.maximum.vjp([tensor([1, 2, 3]), tensor([3, 2, 1])])[1](tensor([1, 1, 1])) // [[0, 0.5, 1], [1, 0.5, 0]]
 * ```
 * @category arithmetic
 */
export const maximum: BinaryOp = fromBinaryPrim(extraBinaryPrims.maximum, undefined)

/**
 * The elementwise minimum, broadcasting; ties split the cotangent half and half, as
 * {@link maximum}.
 *
 * @throws ShapeError naming `minimum` and both shapes if they do not broadcast.
 * @example
 * ```ts
 * import { ops, scalar, tensor } from 'autodiff-ts'
 *
 * ops.minimum.apply([tensor([1, 5]), scalar(2)]) // [1, 2]
 * ```
 * @category arithmetic
 */
export const minimum: BinaryOp = fromBinaryPrim(extraBinaryPrims.minimum, undefined)
