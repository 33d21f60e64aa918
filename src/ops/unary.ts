/**
 * Elementwise unary primitives: neg, scale, exp, log, log1p, sqrt, abs, and the activations
 * sigmoid and relu take their value, JVP, pullback and conventions from the rule table
 * (`Program.prims`, evaluated with the plain algebra or by the entry's fused kernel); `square`,
 * which the table writes as `mul(x, x)`, keeps its own specialised loop. Each is a
 * `Diff<Tensor, Tensor>`; conventions at kinks are data (`points` pins `f'(x)`).
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { scaleK, squareK } from '../kernels/unary.js'
import { unaryPrims } from '../program/prims.js'
import { fromUnaryPrim } from './fromTable.js'
import type { UnaryOp } from './Primitive.js'
import { unary } from './Primitive.js'
import { times } from './tensorMath.js'

const map = (k: (x: Tensor['data']) => Float64Array) => (x: Tensor): Tensor => wrap(x.shape, k(x.data))

/** `c x` as plain tensor math. */
const scaled = (c: number): ((x: Tensor) => Tensor) => map((d) => scaleK(d, c))

// Each primitive below but `square` is its table entry (value, JVP, pullback, conventions).

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
 * `x * x`; derivative `2x`.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.square.vjp(tensor([3]))[1](tensor([1])) // tensor([6])
 * ```
 * @category elementwise
 */
export const square: UnaryOp = unary({
  name: 'square',
  value: map(squareK),
  jvp: (x, _y, dx) => times(scaled(2)(x), dx),
  pullback: (x, _y, g) => times(scaled(2)(x), g),
  conventions: [],
})

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
 * and the derivative `sigma(x) sigma(-x)`, accurate in both tails, run as one fused pass.
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
 * `max(x, 0)` as one fused primitive; derivative 1 for `x > 0`, 0 for `x < 0`, and 0 at the
 * kink `x = 0` (ChainRules' and PyTorch's choice). NaN stays NaN, in value and derivative.
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

