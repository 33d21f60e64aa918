/**
 * Elementwise primitives from a generic scalar definition: write `f` once as
 * `<A>(F: Floating<A>) => (x: A) => A`; the value comes from evaluating it on numbers, the
 * local derivative from evaluating it on dual numbers (or from a closed form, if given for
 * speed; the laws check the two agree).
 *
 * @packageDocumentation
 */
import type { ScalarFn } from '../Floating.js'
import { floatingNumber } from '../Floating.js'
import { dual, getFloating } from '../Dual.js'
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { mapUnary } from '../kernels/unary.js'
import type { Convention, UnaryOp } from './Primitive.js'
import { unary } from './Primitive.js'

/**
 * Options of {@link elementwise}.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const options: ops.ElementwiseOptions = {
 *   derivative: (_x, y) => y, // exp' = exp, from the value
 *   conventions: [],
 * }
 * ops.elementwise('exp', (F) => F.exp, options).vjp(tensor([0]))[1](tensor([3])) // [3]
 * ```
 * @category model
 */
export interface ElementwiseOptions {
  /** A closed form of `f'(x)`, given `x` and `y = f(x)`; by default forward mode on `f`. */
  readonly derivative?: (x: number, y: number) => number
  /** Conventions at non-differentiable points, as data. */
  readonly conventions?: readonly Convention[]
}

/**
 * A `Diff<Tensor, Tensor>` applying a generic scalar function to every element. The JVP is one
 * pass of dual numbers `f(x + dx ε)`; the pullback multiplies the cotangent by `f'(x)` (from
 * duals, or from `options.derivative`). One function call per element: this is the generic
 * path; the built-in primitives have specialised loops.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const softplus = ops.elementwise('softplus', (F) => (x) => F.log1p(F.exp(x)))
 * softplus.vjp(tensor([0]))[1](tensor([1])) // [0.5]: softplus' = sigmoid
 * ```
 * @category constructors
 */
export const elementwise = (
  name: string, f: ScalarFn, options: ElementwiseOptions = {},
): UnaryOp => {
  const fN = f(floatingNumber)
  const D = getFloating(floatingNumber)
  const fD = f(D)
  const closed = options.derivative
  const derivatives = (x: Tensor, y: Tensor): Float64Array => {
    const n = x.data.length
    const d = new Float64Array(n)
    if (closed !== undefined) for (let i = 0; i < n; i++) d[i] = closed(x.data[i]!, y.data[i]!)
    else for (let i = 0; i < n; i++) d[i] = fD(dual(x.data[i]!, 1)).eps
    return d
  }
  return unary({
    name,
    value: (x) => wrap(x.shape, mapUnary(x.data, fN)),
    jvp: (x, y, dx) => {
      const out = new Float64Array(x.data.length)
      if (closed !== undefined) for (let i = 0; i < out.length; i++) out[i] = closed(x.data[i]!, y.data[i]!) * dx.data[i]!
      else for (let i = 0; i < out.length; i++) out[i] = fD(dual(x.data[i]!, dx.data[i]!)).eps
      return wrap(x.shape, out)
    },
    pullback: (x, y, g) => {
      const d = derivatives(x, y)
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * g.data[i]!
      return wrap(x.shape, d)
    },
    conventions: options.conventions ?? [],
  })
}
