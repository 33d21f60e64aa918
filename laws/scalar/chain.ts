/**
 * The chain rule, in each mode.
 *
 * @packageDocumentation
 */
import { floatingNumber as N } from '../../src/Floating.js'
import type { Floating, ScalarFn } from '../../src/Floating.js'
import { compareNumbers, guard, showPoint } from '../law-runner.js'
import type { ScalarLaw, ScalarLawOptions } from './model.js'
import { ScalarLawNames } from './model.js'
import { modesOf, pointsOf, tolerances, withMode } from './options.js'
import { makeLaw } from './runner.js'

const compose =
  (f: ScalarFn, g: ScalarFn): ScalarFn =>
  <A>(F: Floating<A>) => {
    const ff = f(F)
    const gg = g(F)
    return (x: A) => gg(ff(x))
  }

// ---------------------------------------------------------------------------------------------
// The laws

/**
 * The chain rule: `D(g . f)(x) = g'(f(x)) f'(x)` in each mode, to `identityRtol`. Sample `x`
 * where `f` is smooth and `f(x)` where `g` is.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { scalarChainRule } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarChainRule((F) => F.exp, (F) => F.sin))
 * ```
 *
 * @category laws
 */
export const scalarChainRule = (f: ScalarFn, g: ScalarFn, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.chainRule
  const tol = tolerances(options)
  const gf = compose(f, g)
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const y = guard(law, input, 'f(x)', () => f(N)(x))
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const lhs = guard(lm, input, 'D(g . f)(x)', () => m.derivative(gf)(x))
      const dg = guard(lm, input, "g'(f(x))", () => m.derivative(g)(y))
      const df = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, `D(g . f)(x) against g'(f(x)) f'(x) = ${dg} * ${df}`, dg * df, lhs, {
        rtol: tol.identityRtol,
        atol: tol.atol,
      })
    }
  })
}
