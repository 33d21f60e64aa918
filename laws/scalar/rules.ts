/**
 * Whole `UnaryRule`s and `BinaryRule`s against the functions they differentiate: against finite
 * differences, nested (the rule's own derivatives), and against both modes.
 *
 * @packageDocumentation
 */
import fc from '../fc.js'
import type { Arbitrary } from 'fast-check'
import * as Dual from '../../src/Dual.js'
import { floatingNumber as N } from '../../src/Floating.js'
import type { MultiFn, ScalarFn } from '../../src/Floating.js'
import type { BinaryRule, UnaryRule } from '../../src/Rule.js'
import { scalarPoint } from '../arbitraries.js'
import type { PointOptions } from '../arbitraries.js'
import { compareNumbers, guard, showPoint } from '../law-runner.js'
import type { Tolerances } from '../law-runner.js'
import { centralDifference, checkStep, defaultStep, stepAt } from './difference.js'
import type { BinaryFn, Mode, ScalarLaw, ScalarLawOptions } from './model.js'
import { ScalarLawNames } from './model.js'
import { modesOf, pointsOf, tolerances, withMode } from './options.js'
import { makeLaw } from './runner.js'

/**
 * A whole unary rule against the function it differentiates: `rule.d(x, f(x))` agrees with a
 * central difference of `f` (to `rtol`); the rule differentiates correctly itself (the forward
 * derivative of the generic `rule.d` agrees with a central difference of `rule.d`, so the rule
 * nests for higher derivatives); and each mode's `f'` equals `rule.d` (to `identityRtol`), which
 * checks the arithmetic each mode writes out against the rule.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { unaryRules } from 'autodiff-ts'
 * import { unaryRuleAgreement } from 'autodiff-ts/laws'
 *
 * fc.assert(unaryRuleAgreement((F) => F.sqrt, unaryRules.sqrt, { min: 1e-3, max: 100, kinks: [0] }))
 * ```
 *
 * @category laws
 */
export const unaryRuleAgreement = (f: ScalarFn, rule: UnaryRule, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.unaryRule
  const law2 = ScalarLawNames.unaryRule2
  const lawModes = ScalarLawNames.unaryRuleModes
  const tol = tolerances(options)
  const step = options.step ?? defaultStep(options.kinks ?? [])
  const fn = f(N)
  const d = (x: number): number => rule.d(N, x, fn(x))
  const dGeneric: ScalarFn = (F) => {
    const ff = f(F)
    return (x) => rule.d(F, x, ff(x))
  }
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const h = stepAt(law, input, step, x)
    const dx = guard(law, input, 'rule.d', () => d(x))
    const fd = guard(law, input, 'f', () => centralDifference(fn, x, h))
    compareNumbers(law, input, 'rule.d against the central difference of f', fd.value, dx, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd.noise,
    })
    const dd = guard(law2, input, 'the derivative of rule.d', () => Dual.derivative(dGeneric)(x))
    const fd2 = guard(law2, input, 'rule.d', () => centralDifference(d, x, h))
    compareNumbers(law2, input, 'the derivative of rule.d against its central difference', fd2.value, dd, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd2.noise,
    })
    for (const m of modesOf(options)) {
      const lm = withMode(lawModes, m)
      const dm = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, "the mode's f'(x) against rule.d", dx, dm, { rtol: tol.identityRtol, atol: tol.atol })
    }
  })
}

/**
 * The options of {@link binaryRuleAgreement}.
 *
 * @category model
 */
export interface BinaryLawOptions extends Tolerances {
  /** Where to sample `x`; default `[-10, 10]`. Its kinks bound the step in `x`. */
  readonly x?: PointOptions
  /** Where to sample `y`; default `[-10, 10]`. Its kinks bound the step in `y`. */
  readonly y?: PointOptions
  /** The points to sample; overrides `x` and `y`. */
  readonly arbitrary?: Arbitrary<readonly [number, number]>
  /** The finite-difference steps `[hx, hy]` at `(x, y)`; default as for one variable, per variable. */
  readonly step?: (x: number, y: number) => readonly [number, number]
  /** The modes to check (each partial derivative with the other input held constant); default both. */
  readonly modes?: readonly Mode[]
}

/**
 * A whole binary rule against the function it differentiates: `rule.dx` and `rule.dy` agree
 * with central differences of `f` in `x` and in `y` (to `rtol`); the rule differentiates
 * correctly itself (the forward-mode derivatives of `rule.dx` and `rule.dy` in `x` and in `y`
 * agree with central differences of them); and each mode's partial derivatives (the other input
 * held constant) equal the rule's (to `identityRtol`), which checks the
 * arithmetic each mode writes out against the rule.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { binaryRules } from 'autodiff-ts'
 * import { binaryRuleAgreement } from 'autodiff-ts/laws'
 *
 * fc.assert(binaryRuleAgreement((F) => F.div, binaryRules.div, { y: { min: 0.5, max: 5 } }))
 * ```
 *
 * @category laws
 */
export const binaryRuleAgreement = (
  f: BinaryFn,
  rule: BinaryRule,
  options: BinaryLawOptions = {},
): ScalarLaw<readonly [number, number]> => {
  const law = ScalarLawNames.binaryRule
  const law2 = ScalarLawNames.binaryRule2
  const lawModes = ScalarLawNames.binaryRuleModes
  const tol = tolerances(options)
  const xStep = defaultStep(options.x?.kinks ?? [])
  const yStep = defaultStep(options.y?.kinks ?? [])
  const step = options.step ?? ((x: number, y: number) => [xStep(x), yStep(y)] as const)
  const fn = f(N)
  const partials: readonly (readonly [string, BinaryRule['dx']])[] = [
    ['rule.dx', rule.dx],
    ['rule.dy', rule.dy],
  ]
  const arb = options.arbitrary ?? fc.tuple(scalarPoint(options.x), scalarPoint(options.y))
  const cmp = (noise: number) => ({ rtol: tol.rtol, atol: tol.atol, noise })
  return makeLaw(law, arb, ([x, y]) => {
    const input = showPoint({ x, y })
    const [sx, sy] = guard(law, input, 'the step', () => step(x, y))
    const hx = checkStep(law, input, sx)
    const hy = checkStep(law, input, sy)
    const z = guard(law, input, 'f', () => fn(x, y))
    const ruleAt = partials.map(([name, p]) => guard(law, input, name, () => p(N, x, y, z)))
    const fdx = guard(law, input, 'f', () => centralDifference((s) => fn(s, y), x, hx))
    const fdy = guard(law, input, 'f', () => centralDifference((s) => fn(x, s), y, hy))
    compareNumbers(law, input, 'rule.dx against the central difference of f in x', fdx.value, ruleAt[0]!, cmp(fdx.noise))
    compareNumbers(law, input, 'rule.dy against the central difference of f in y', fdy.value, ruleAt[1]!, cmp(fdy.noise))
    // the rule nests: the forward derivatives of each partial against its central differences
    partials.forEach(([name, p]) => {
      const generic: MultiFn = (F) => ([a = F.zero, b = F.zero]) => p(F, a, b, f(F)(a, b))
      const plain = (a: number, b: number): number => p(N, a, b, fn(a, b))
      const [ddx, ddy] = guard(law2, input, `the derivatives of ${name}`, () => [
        Dual.jvp(generic)([x, y], [1, 0])[1],
        Dual.jvp(generic)([x, y], [0, 1])[1],
      ])
      const fx = guard(law2, input, name, () => centralDifference((s) => plain(s, y), x, hx))
      const fy = guard(law2, input, name, () => centralDifference((s) => plain(x, s), y, hy))
      compareNumbers(law2, input, `d/dx ${name} against its central difference`, fx.value, ddx, cmp(fx.noise))
      compareNumbers(law2, input, `d/dy ${name} against its central difference`, fy.value, ddy, cmp(fy.noise))
    })
    const exact = { rtol: tol.identityRtol, atol: tol.atol }
    for (const m of modesOf(options)) {
      const lm = withMode(lawModes, m)
      const dx = guard(lm, input, 'the partial in x', () => m.derivative((F) => (a) => f(F)(a, F.of(y)))(x))
      const dy = guard(lm, input, 'the partial in y', () => m.derivative((F) => (b) => f(F)(F.of(x), b))(y))
      compareNumbers(lm, input, 'the partial in x against rule.dx', ruleAt[0]!, dx, exact)
      compareNumbers(lm, input, 'the partial in y against rule.dy', ruleAt[1]!, dy, exact)
    }
  })
}
