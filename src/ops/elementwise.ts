/**
 * Elementwise primitives from a generic scalar definition: write `f` once as
 * `<A>(F: Floating<A>) => (x: A) => A`; the value comes from evaluating it on numbers, the
 * local derivative from evaluating it on dual numbers (or from a closed form, if given for
 * speed; the laws check the two agree). An adapter of `Program.elementwise`, which implements it.
 *
 * @packageDocumentation
 */
import type { ScalarFn } from '../Floating.js'
import { elementwise as program } from '../program/elementwise.js'
import type { Convention } from './convention.js'
import { fromUnaryPrim } from './fromTable.js'
import type { UnaryOp } from './Primitive.js'

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
 * A `Diff<Tensor, Tensor>` applying a generic scalar function to every element: a thin adapter of
 * `Program.elementwise`, the one implementation (its table entry made an `ops` primitive). The JVP
 * is one pass of dual numbers `f(x + dx ε)`; the pullback multiplies the cotangent by `f'(x)`
 * (from duals, or from `options.derivative`, which is `Program.elementwise`'s `fastDerivative`
 * and is checked against the duals by the law kit's `checkFused`). One function call per element:
 * this is the generic path; the built-in primitives have specialised loops.
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
export const elementwise = (name: string, f: ScalarFn, options: ElementwiseOptions = {}): UnaryOp =>
  fromUnaryPrim(
    program(name, f, {
      ...(options.derivative === undefined ? {} : { fastDerivative: options.derivative }),
      ...(options.conventions === undefined ? {} : { conventions: options.conventions }),
    }).prim,
    () => undefined,
  )
