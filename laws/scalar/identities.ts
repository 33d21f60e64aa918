/**
 * Identities between generic scalar functions, and hand-written (closed-form) derivatives against
 * the computed ones, up to second derivatives.
 *
 * @packageDocumentation
 */
import * as Dual from '../../src/Dual.js'
import { floatingNumber as N } from '../../src/Floating.js'
import type { ScalarFn } from '../../src/Floating.js'
import { compareNumbers, guard, showPoint } from '../law-runner.js'
import type { ScalarLaw, ScalarLawOptions } from './model.js'
import { ScalarLawNames } from './model.js'
import { modesOf, pointsOf, tolerances, withMode } from './options.js'
import { makeLaw } from './runner.js'

/**
 * The options of {@link scalarIdentity} and {@link closedFormDerivative}.
 *
 * @category model
 */
export interface OrderOptions extends ScalarLawOptions {
  /** Check derivatives up to this order; default 2. */
  readonly order?: 0 | 1 | 2
}

/**
 * An identity between two generic scalar functions, such as `tanh(x) = 2 sigmoid(2x) - 1`: the
 * values agree, and (up to `order`, default 2) so do their first and second derivatives in each
 * mode (second derivatives as that mode over forward mode), all to `identityRtol` plus `atol`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { scalarIdentity } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarIdentity('cosh^2 - sinh^2 = 1',
 *   (F) => (x) => F.sub(F.mul(F.cosh(x), F.cosh(x)), F.mul(F.sinh(x), F.sinh(x))),
 *   (F) => () => F.one,
 *   { min: -5, max: 5, atol: 1e-6 }))
 * ```
 *
 * @category laws
 */
export const scalarIdentity = (name: string, lhs: ScalarFn, rhs: ScalarFn, options: OrderOptions = {}): ScalarLaw<number> => {
  const law = `${ScalarLawNames.identity}: ${name}`
  const tol = tolerances(options)
  const order = options.order ?? 2
  const cmp = { rtol: tol.identityRtol, atol: tol.atol }
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const l = guard(law, input, 'the left side', () => lhs(N)(x))
    const r = guard(law, input, 'the right side', () => rhs(N)(x))
    compareNumbers(law, input, 'the right side against the left side', l, r, cmp)
    if (order < 1) return
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const dl = guard(lm, input, "the left side's derivative", () => m.derivative(lhs)(x))
      const dr = guard(lm, input, "the right side's derivative", () => m.derivative(rhs)(x))
      compareNumbers(lm, input, "the right side's derivative against the left side's", dl, dr, cmp)
      if (order < 2) continue
      const ddl = guard(lm, input, "the left side's second derivative", () => m.derivative(Dual.derivativeOf(lhs))(x))
      const ddr = guard(lm, input, "the right side's second derivative", () => m.derivative(Dual.derivativeOf(rhs))(x))
      compareNumbers(lm, input, "the right side's second derivative against the left side's", ddl, ddr, cmp)
    }
  })
}

/**
 * A hand-written derivative `df` (a closed form, written generically) agrees with the derivative
 * of the generic definition `f`: in each mode `f' = df`, and (with `order` 2, the default) the
 * derivative of `df` agrees with `f''`, computed as that mode over forward mode; all to
 * `identityRtol` plus `atol`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import type { ScalarFn } from 'autodiff-ts'
 * import { closedFormDerivative } from 'autodiff-ts/laws'
 *
 * const softplus: ScalarFn = (F) => (x) => F.log1p(F.exp(x))
 * const sigmoid: ScalarFn = (F) => (x) => F.recip(F.add(F.one, F.exp(F.neg(x))))
 * fc.assert(closedFormDerivative(softplus, sigmoid, { min: -20, max: 20 }))
 * ```
 *
 * @category laws
 */
export const closedFormDerivative = (f: ScalarFn, df: ScalarFn, options: OrderOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.closedForm
  const law2 = ScalarLawNames.closedForm2
  const tol = tolerances(options)
  const cmp = { rtol: tol.identityRtol, atol: tol.atol }
  const order = options.order ?? 2
  const d2f = Dual.derivativeOf(f)
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const closed = guard(law, input, 'the closed form', () => df(N)(x))
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, "f'(x) against the closed form", closed, d, cmp)
      if (order < 2) continue
      const lm2 = withMode(law2, m)
      const dd = guard(lm2, input, "f''(x)", () => m.derivative(d2f)(x))
      const closed2 = guard(lm2, input, "the closed form's derivative", () => m.derivative(df)(x))
      compareNumbers(lm2, input, "f''(x) against the closed form's derivative", closed2, dd, cmp)
    }
  })
}
