/**
 * Elementwise unary primitives with hand-written rules and specialised loops: neg, scale, exp,
 * log, log1p, sqrt, square, abs, and the fused activations sigmoid and relu. Each is a
 * `Diff<Tensor, Tensor>` declared once; conventions at kinks are data (`points` pins `f'(x)`).
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import {
  absK, expK, log1pK, logK, negK, reluBackK, reluBackScalarK, reluK, sigmoidBackK, sigmoidBackScalarK, sigmoidK, scaleK, signK,
  sqrtK, squareK,
} from '../kernels/unary.js'
import type { UnaryOp } from './Primitive.js'
import { unary } from './Primitive.js'
import { over, plus, times } from './tensorMath.js'
import { uniform, uniformValue } from './uniform.js'


const ONE: Tensor = wrap([], Float64Array.of(1))

const map = (k: (x: Tensor['data']) => Float64Array) => (x: Tensor): Tensor => wrap(x.shape, k(x.data))

/** `c x` as plain tensor math. */
const scaled = (c: number): ((x: Tensor) => Tensor) => map((d) => scaleK(d, c))

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
export const neg: UnaryOp = unary({
  name: 'neg',
  value: map(negK),
  jvp: (_x, _y, dx) => wrap(dx.shape, negK(dx.data)),
  pullback: (_x, _y, g) => {
    const u = uniformValue(g)
    return u !== undefined ? uniform(g.shape, -u) : wrap(g.shape, negK(g.data))
  },
  conventions: [],
})

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
export const scale = (c: number): UnaryOp =>
  unary({
    name: 'scale',
    value: scaled(c),
    jvp: (_x, _y, dx) => scaled(c)(dx),
    pullback: (_x, _y, g) => {
      const u = uniformValue(g)
      return u !== undefined ? uniform(g.shape, c * u) : scaled(c)(g)
    },
    conventions: [],
  })

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
export const exp: UnaryOp = unary({
  name: 'exp',
  value: map(expK),
  jvp: (_x, y, dx) => times(y, dx),
  pullback: (_x, y, g) => times(y, g),
  conventions: [],
})

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
export const log: UnaryOp = unary({
  name: 'log',
  value: map(logK),
  jvp: (x, _y, dx) => over(dx, x),
  pullback: (x, _y, g) => over(g, x),
  conventions: [{ at: 'x = 0', rule: '+Infinity, the one-sided limit', points: [{ x: 0, derivative: Infinity }] }],
})

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
export const log1p: UnaryOp = unary({
  name: 'log1p',
  value: map(log1pK),
  jvp: (x, _y, dx) => over(dx, plus(x, ONE)),
  pullback: (x, _y, g) => over(g, plus(x, ONE)),
  conventions: [{ at: 'x = -1', rule: '+Infinity, the one-sided limit', points: [{ x: -1, derivative: Infinity }] }],
})


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
export const sqrt: UnaryOp = unary({
  name: 'sqrt',
  value: map(sqrtK),
  jvp: (_x, y, dx) => over(scaled(0.5)(dx), y),
  pullback: (_x, y, g) => over(scaled(0.5)(g), y),
  conventions: [{ at: 'x = 0', rule: '+Infinity, the one-sided limit', points: [{ x: 0, derivative: Infinity }] }],
})

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
export const abs: UnaryOp = unary({
  name: 'abs',
  value: map(absK),
  jvp: (x, _y, dx) => times(wrap(x.shape, signK(x.data)), dx),
  pullback: (x, _y, g) => times(wrap(x.shape, signK(x.data)), g),
  conventions: [{ at: 'x = 0', rule: '0, a local minimum', points: [{ x: 0, derivative: 0 }] }],
})

/**
 * The logistic sigmoid `1 / (1 + e^-x)` as one fused primitive: a stable forward loop
 * (`sigmoid(-1000)` is 0, not NaN) and the closed-form derivative `s (1 - s)` from the output.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.sigmoid.vjp(tensor([0]))[1](tensor([1])) // tensor([0.25])
 * ```
 * @category elementwise
 */
export const sigmoid: UnaryOp = unary({
  name: 'sigmoid',
  value: map(sigmoidK),
  jvp: (_x, y, dx) => wrap(y.shape, sigmoidBackK(y.data, dx.data)),
  pullback: (_x, y, g) => {
    const u = uniformValue(g)
    return wrap(y.shape, u !== undefined ? sigmoidBackScalarK(y.data, u) : sigmoidBackK(y.data, g.data))
  },
  conventions: [],
})

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
export const relu: UnaryOp = unary({
  name: 'relu',
  value: map(reluK),
  jvp: (x, _y, dx) => wrap(x.shape, reluBackK(x.data, dx.data)),
  pullback: (x, _y, g) => {
    const u = uniformValue(g)
    return wrap(x.shape, u !== undefined ? reluBackScalarK(x.data, u) : reluBackK(x.data, g.data))
  },
  conventions: [{ at: 'x = 0', rule: '0 (the subgradient at the kink)', points: [{ x: 0, derivative: 0 }] }],
})

