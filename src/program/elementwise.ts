/**
 * A user's elementwise function, declared from its generic scalar definition alone: the value
 * from numbers, the derivative from dual numbers (itself an elementwise function, so derivatives
 * of every order follow), or from an optional closed form that the laws check against the duals.
 * The one implementation of the idea: `ops.elementwise` is a thin adapter of this one.
 *
 * @packageDocumentation
 */
import type { Floating, ScalarFn } from '../Floating.js'
import { floatingNumber } from '../Floating.js'
import { dual, getFloating } from '../Dual.js'
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { mapUnary } from '../kernels/unary.js'
import type { Convention } from '../ops/convention.js'
import { uniformValue } from '../ops/uniform.js'
import { pointwise } from './prims.js'
import type { Elementwise, Fused } from './types.js'

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
  /**
   * A numeric closed form of `f'(x)`, given `x` and `y = f(x)`, run as the fused kernel on plain
   * tensors (one call per element instead of a dual number); the law kit (`checkFused`) checks it
   * against the rule. By default the fused kernel evaluates `f` on dual numbers.
   */
  readonly fastDerivative?: (x: number, y: number) => number
  /** Conventions at non-differentiable points, as data. */
  readonly conventions?: readonly Convention[]
}

/**
 * The fused kernels of an elementwise function on plain tensors: with a numeric closed form,
 * `t f'(x)` from it; without, one pass of dual numbers, `f(x + t ε)` for the JVP and
 * `g (f(x + ε)).ε` for the pullback.
 */
const fusedOf = (f: ScalarFn, closed: ((x: number, y: number) => number) | undefined): Fused<undefined> => {
  const fD = f(getFloating(floatingNumber))
  const pass = (x: Tensor, y: Tensor, t: Tensor, jvp: boolean): Tensor => {
    const [xd, yd, n] = [x.data, y.data, x.data.length]
    const u = uniformValue(t)
    const td = u === undefined ? t.data : undefined
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const ti = td === undefined ? u! : td[i]!
      out[i] = closed !== undefined ? closed(xd[i]!, yd[i]!) * ti : jvp ? fD(dual(xd[i]!, ti)).eps : ti * fD(dual(xd[i]!, 1)).eps
    }
    return wrap(x.shape, out)
  }
  return { jvp: ([x], y, [dx]) => pass(x!, y, dx!, true), vjp: ([x], y, g) => [pass(x!, y, g, false)] }
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
  const extra = { fused: fusedOf(f, options.fastDerivative), ...(options.conventions === undefined ? {} : { conventions: options.conventions }) }
  return Object.freeze({
    name,
    prim: pointwise(name, (x) => mapUnary(x, fN), (A, x) => A.map(d(), x), extra),
  })
}
