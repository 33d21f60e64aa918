/**
 * Binary arithmetic primitives with NumPy broadcasting: add, sub, mul, div, pow, maximum,
 * minimum. Each is a `Diff<readonly [Tensor, Tensor], Tensor>` declared once (value, per-argument
 * JVP and pullback, conventions); each pullback returns every input a cotangent of its own shape.
 * add, sub, mul and div are the rule table's entries (`Program.prims`); pow, maximum and minimum,
 * which the table lacks, are declared here.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import type { BinaryRow } from '../kernels/binary.js'
import { binaryBroadcast, maxRow, maxShareRow, minRow, minShareRow, powRow } from '../kernels/binary.js'
import type { BinaryOp } from './Primitive.js'
import { binary } from './Primitive.js'
import { binaryPrims } from '../program/prims.js'
import { fromBinaryPrim } from './fromTable.js'
import { times } from './tensorMath.js'

const rowOp =
  (op: string, row: BinaryRow) =>
  (a: Tensor, b: Tensor): Tensor => {
    const [s, d] = binaryBroadcast(op, row, a.data, a.shape, b.data, b.shape)
    return wrap(s, d)
  }

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

/** `∂(x^y)/∂x = y x^(y-1)`, taken as 0 where `y = 0`. */
const powDxRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) {
    const x = a[oa + j * sa]!
    const y = b[ob + j * sb]!
    out[o + j] = y === 0 ? 0 : y * Math.pow(x, y - 1)
  }
}

/** `∂(x^y)/∂y = x^y log x`, taken as 0 where `x <= 0`; reads `x` and `z = x^y`. */
const powDyRow: BinaryRow = (out, o, a, oa, sa, z, oz, sz, len) => {
  for (let j = 0; j < len; j++) {
    const x = a[oa + j * sa]!
    out[o + j] = x > 0 ? z[oz + j * sz]! * Math.log(x) : 0
  }
}

const powDx = rowOp('pow', powDxRow)
const powDy = rowOp('pow', powDyRow)

/**
 * `a ** b` elementwise (`Math.pow`), broadcasting. Conventions as the scalar rule of `Rule.ts`:
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
export const pow: BinaryOp = binary({
  name: 'pow',
  value: rowOp('pow', powRow),
  jvps: [(a, b, _out, da) => times(da, powDx(a, b)), (a, _b, out, db) => times(db, powDy(a, out))],
  pullbacks: [(a, b, _out, g) => times(g, powDx(a, b)), (a, _b, out, g) => times(g, powDy(a, out))],
  conventions: [
    { at: 'a <= 0', rule: 'the derivative in b is 0 (a^b is not differentiable in b there)' },
    { at: 'b = 0', rule: 'the derivative in a is 0, also at a = 0' },
  ],
})

const maxShare = rowOp('maximum', maxShareRow)
const minShare = rowOp('minimum', minShareRow)

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
export const maximum: BinaryOp = binary({
  name: 'maximum',
  value: rowOp('maximum', maxRow),
  jvps: [(a, b, _out, da) => times(da, maxShare(a, b)), (a, b, _out, db) => times(db, maxShare(b, a))],
  pullbacks: [(a, b, _out, g) => times(g, maxShare(a, b)), (a, b, _out, g) => times(g, maxShare(b, a))],
  conventions: [
    { at: 'a = b', rule: 'the cotangent is split half and half between a and b' },
    { at: 'a or b is NaN', rule: 'the NaN operand gets the whole cotangent (half each if both are NaN)' },
  ],
})

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
export const minimum: BinaryOp = binary({
  name: 'minimum',
  value: rowOp('minimum', minRow),
  jvps: [(a, b, _out, da) => times(da, minShare(a, b)), (a, b, _out, db) => times(db, minShare(b, a))],
  pullbacks: [(a, b, _out, g) => times(g, minShare(a, b)), (a, b, _out, g) => times(g, minShare(b, a))],
  conventions: [
    { at: 'a = b', rule: 'the cotangent is split half and half between a and b' },
    { at: 'a or b is NaN', rule: 'the NaN operand gets the whole cotangent (half each if both are NaN)' },
  ],
})
