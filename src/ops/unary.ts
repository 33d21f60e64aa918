/**
 * Elementwise unary primitives: neg, scale, exp, log, log1p, sqrt, abs, and the activations
 * sigmoid, tanh and relu take their value, JVP, pullback and conventions from the rule table
 * (`Program.prims`, evaluated with the plain algebra or by the entry's fused kernel; the
 * activations' kernels are the `Activation` module's, so `ops.sigmoid` and
 * `Activation.sigmoid.diff` compute the same bits); `square`
 * is the table's `mul(x, x)`, its rules `mul`'s with the input in both places. Each is a
 * `Diff<Tensor, Tensor>`; conventions at kinks are data (`points` pins `f'(x)`).
 *
 * @packageDocumentation
 */
import { binaryPrims, unaryPrims } from '../program/prims.js'
import { fromDiagonalPrim, fromUnaryPrim } from './fromTable.js'
import type { UnaryOp } from './Primitive.js'

// Each primitive below is its table entry (value, JVP, pullback, conventions); square is mul(x, x).

/**
 * `-x`; linear, so its JVP and pullback are `-dx` and `-g`.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.neg.apply(tensor([1, -2])) // tensor([-1, 2])
 * ```
 * @category elementwise
 */
export const neg: UnaryOp = fromUnaryPrim(unaryPrims.neg, () => undefined)

/**
 * `c x` for a constant `c`; linear. The differentiable primitive; `Tree.scale(c)` is the plain
 * function on tensors and trees.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.scale(3).apply(tensor([1, 2])) // tensor([3, 6])
 * ```
 * @category elementwise
 */
export const scale = (c: number): UnaryOp => fromUnaryPrim(unaryPrims.scale, () => c)

/**
 * `e^x`; its derivative is its value, which the rules reuse.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.exp.vjp(tensor([0]))[1](tensor([2])) // tensor([2])
 * ```
 * @category elementwise
 */
export const exp: UnaryOp = fromUnaryPrim(unaryPrims.exp, () => undefined)

/**
 * The natural logarithm; derivative `1 / x`, `+Infinity` at 0 (the one-sided limit), NaN below.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.log.jvp(tensor([2]), tensor([1]))[1] // tensor([0.5])
 * ```
 * @category elementwise
 */
export const log: UnaryOp = fromUnaryPrim(unaryPrims.log, () => undefined)

/**
 * `log(1 + x)`, accurate near 0; derivative `1 / (1 + x)`.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.log1p.apply(tensor([1e-20])) // tensor([1e-20])
 * ```
 * @category elementwise
 */
export const log1p: UnaryOp = fromUnaryPrim(unaryPrims.log1p, () => undefined)

/**
 * The square root; derivative `1 / (2 sqrt x)`, `+Infinity` at 0 (the one-sided limit).
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.sqrt.apply(tensor([4, 9])) // tensor([2, 3])
 * ```
 * @category elementwise
 */
export const sqrt: UnaryOp = fromUnaryPrim(unaryPrims.sqrt, () => undefined)

/**
 * `x * x`, the table's `mul(x, x)`: derivative `x + x = 2x`.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.square.vjp(tensor([3]))[1](tensor([1])) // tensor([6])
 * ```
 * @category elementwise
 */
export const square: UnaryOp = fromDiagonalPrim(binaryPrims.mul, undefined, 'square')

/**
 * `|x|`; derivative `sign(x)`, taken as 0 at 0 (a local minimum, ChainRules' policy).
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.abs.vjp(tensor([-2, 0, 3]))[1](tensor([1, 1, 1])) // tensor([-1, 0, 1])
 * ```
 * @category elementwise
 */
export const abs: UnaryOp = fromUnaryPrim(unaryPrims.abs, () => undefined)

/**
 * The logistic sigmoid `1 / (1 + e^-x)`: a stable forward loop (`sigmoid(-1000)` is 0, not NaN)
 * and the derivative `sigma(x) sigma(-x)`, accurate in both tails, run as one fused pass; the
 * kernels are `Activation.sigmoid`'s.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.sigmoid.vjp(tensor([0]))[1](tensor([1])) // tensor([0.25])
 * ```
 * @category elementwise
 */
export const sigmoid: UnaryOp = fromUnaryPrim(unaryPrims.sigmoid, () => undefined)

/**
 * The hyperbolic tangent, with the derivative `sech^2 x`, accurate in the tails (where
 * `1 - tanh^2` is 0), run as one fused pass; the kernels are `Activation.tanh`'s.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.tanh.vjp(tensor([0]))[1](tensor([1])) // tensor([1])
 * ```
 * @category elementwise
 */
export const tanh: UnaryOp = fromUnaryPrim(unaryPrims.tanh, () => undefined)

/**
 * `max(x, 0)` as one fused primitive; derivative 1 for `x > 0`, 0 for `x < 0`, and 0 at the
 * kink `x = 0` (ChainRules' and PyTorch's choice, declared once in `Activation.relu.kinks`). NaN
 * stays NaN, in value and derivative. The kernels are `Activation.relu`'s.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.relu.vjp(tensor([-1, 0, 2]))[1](tensor([1, 1, 1])) // tensor([0, 0, 1])
 * ```
 * @category elementwise
 */
export const relu: UnaryOp = fromUnaryPrim(unaryPrims.relu, () => undefined)

