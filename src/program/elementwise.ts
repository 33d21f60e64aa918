/**
 * A user's elementwise function, declared from its generic scalar definition alone: the value
 * from numbers, the derivative from dual numbers (itself an elementwise function, so derivatives
 * of every order follow), or from an optional closed form that the laws check against the duals.
 *
 * @packageDocumentation
 */
import type { Floating, ScalarFn } from '../Floating.js'
import { floatingNumber } from '../Floating.js'
import { dual, getFloating } from '../Dual.js'
import { mapUnary } from '../kernels/unary.js'
import { pointwise } from './prims.js'
import type { Elementwise } from './types.js'

/**
 * Options of {@link elementwise}.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const o: Program.ElementwiseOptions = { derivative: (F) => (x) => F.recip(F.mul(F.add(F.one, F.abs(x)), F.add(F.one, F.abs(x)))) }
 * ```
 * @category model
 */
export interface ElementwiseOptions {
  /** A closed form of `f'`, itself generic (so that it nests); by default dual numbers on `f`. */
  readonly derivative?: ScalarFn
}

/**
 * The derivative of a generic scalar function as a generic scalar function: `f` evaluated on
 * dual numbers over any `Floating`, so it nests to any order.
 *
 * @example
 * ```ts
 * import { Program, floatingNumber } from 'autodiff-ts'
 *
 * Program.dualDerivative((F) => (x) => F.mul(x, F.mul(x, x)))(floatingNumber)(2) // 12
 * ```
 * @category constructors
 */
export const dualDerivative =
  (f: ScalarFn): ScalarFn =>
  <A>(F: Floating<A>) => {
    const fD = f(getFloating(F))
    return (x: A) => fD(dual(x, F.one)).eps
  }

/**
 * An elementwise function of tensors from its generic scalar definition `f`, for `A.map`:
 * `(F) => (x) => F.div(x, F.add(F.one, F.abs(x)))` is softsign in every mode, nested included.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const softsign = Program.elementwise('softsign', (F) => (x) => F.div(x, F.add(F.one, F.abs(x))))
 * Program.grad(<T>(A: Program.Algebra<T>) => (x: T) => A.sum(A.map(softsign, x)))(tensor([1, -3])) // [0.25, 0.0625]
 * ```
 * @category constructors
 */
export const elementwise = (name: string, f: ScalarFn, options: ElementwiseOptions = {}): Elementwise => {
  const fN = f(floatingNumber)
  let derivative: Elementwise | undefined
  const d = (): Elementwise => (derivative ??= elementwise(`${name}'`, options.derivative ?? dualDerivative(f)))
  return Object.freeze({
    name,
    prim: pointwise(name, (x) => mapUnary(x, fN), (A, x) => A.map(d(), x)),
  })
}
