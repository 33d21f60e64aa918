/**
 * The backward rules of add and mul, and the pullbacks they check: a binary rule's and the one
 * reverse mode computes.
 *
 * @packageDocumentation
 */
import fc from '../fc.js'
import type { Arbitrary } from 'fast-check'
import { floatingNumber as N } from '../../src/Floating.js'
import * as Reverse from '../../src/Reverse.js'
import type { BinaryRule } from '../../src/Rule.js'
import { scalarPoint, uniform } from '../arbitraries.js'
import type { PointOptions } from '../arbitraries.js'
import { compareNumbers, guard, showPoint } from '../law-runner.js'
import type { Tolerances } from '../law-runner.js'
import type { BinaryFn, BinaryPullback, ScalarLaw } from './model.js'
import { ScalarLawNames } from './model.js'
import { makeLaw } from './runner.js'

/**
 * The options of {@link scalarAddRule} and {@link scalarMulRule}: ranges of `x`, `y` and the
 * cotangent `c` (default `[-10, 10]`, and magnitudes in `[1/2, 2]` for `c`), and tolerances (default exact: `identityRtol` and
 * `atol` 0).
 *
 * @category model
 */
export interface BackwardRuleOptions extends Tolerances {
  /** Range of the first input. */
  readonly x?: PointOptions
  /** Range of the second input. */
  readonly y?: PointOptions
  /** Range of the output cotangent; default magnitudes in `[1/2, 2]`, either sign. */
  readonly c?: PointOptions
}

/**
 * A backward-rule law: at sampled `(x, y, c)`, the pullback's cotangents of `x` and `y` against
 * the ones `expected` gives (named in `against`), exactly unless tolerances are given.
 */
const backwardRuleLaw = (
  law: string,
  pullback: BinaryPullback,
  options: BackwardRuleOptions,
  expected: (x: number, y: number, c: number) => readonly [number, number],
  against: readonly [string, string],
): ScalarLaw<[number, number, number]> => {
  const tol = { rtol: options.identityRtol ?? 0, atol: options.atol ?? 0 }
  const sample = fc.tuple(scalarPoint(options.x), scalarPoint(options.y), options.c === undefined ? cotangent : scalarPoint(options.c))
  return makeLaw(law, sample, ([x, y, c]) => {
    const input = showPoint({ x, y, c })
    const [cx, cy] = guard(law, input, 'the pullback', () => pullback(x, y, c))
    const [ex, ey] = expected(x, y, c)
    compareNumbers(law, input, `the cotangent of x against ${against[0]}`, ex, cx, tol)
    compareNumbers(law, input, `the cotangent of y against ${against[1]}`, ey, cy, tol)
  })
}

/** A cotangent of magnitude in [1/2, 2], either sign: never so small that a law passes vacuously. @internal */
export const cotangent: Arbitrary<number> = fc.tuple(fc.boolean(), uniform(0.5, 2)).map(([neg, m]) => (neg ? -m : m))

/**
 * The add backward rule: for any cotangent `c` of `x + y`, both inputs receive `c` unchanged
 * (exactly, unless tolerances are given).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { reversePullback, scalarAddRule } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarAddRule(reversePullback((F) => F.add)))
 * ```
 *
 * @category laws
 */
export const scalarAddRule = (pullback: BinaryPullback, options: BackwardRuleOptions = {}): ScalarLaw<[number, number, number]> =>
  backwardRuleLaw(ScalarLawNames.addRule, pullback, options, (_x, _y, c) => [c, c], ['c', 'c'])

/**
 * The mul backward rule: for a cotangent `c` of `x * y`, `x` receives `c y` and `y` receives
 * `c x` (exactly, unless tolerances are given).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { reversePullback, scalarMulRule } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarMulRule(reversePullback((F) => F.mul)))
 * ```
 *
 * @category laws
 */
export const scalarMulRule = (pullback: BinaryPullback, options: BackwardRuleOptions = {}): ScalarLaw<[number, number, number]> =>
  backwardRuleLaw(ScalarLawNames.mulRule, pullback, options, (x, y, c) => [c * y, c * x], ['c y', 'c x'])

/**
 * The pullback of a binary rule: `[c dx, c dy]` at `(x, y)`, with `z = f(x, y)`.
 *
 * @example
 * ```ts
 * import { binaryRules } from 'autodiff-ts'
 * import { rulePullback } from 'autodiff-ts/laws'
 *
 * rulePullback((F) => F.mul, binaryRules.mul)(2, 3, 10) // [30, 20]
 * ```
 *
 * @category laws
 */
export const rulePullback =
  (f: BinaryFn, rule: BinaryRule): BinaryPullback =>
  (x, y, c) => {
    const z = f(N)(x, y)
    return [c * rule.dx(N, x, y, z), c * rule.dy(N, x, y, z)]
  }

/**
 * The pullback that reverse mode computes for a generic binary function: `Reverse.vjp` of
 * `(x, y) => f(x, y)` with output cotangent `c`.
 *
 * @example
 * ```ts
 * import { reversePullback } from 'autodiff-ts/laws'
 *
 * reversePullback((F) => F.mul)(2, 3, 10) // [30, 20]
 * ```
 *
 * @category laws
 */
export const reversePullback =
  (f: BinaryFn): BinaryPullback =>
  (x, y, c) => {
    const [cx = NaN, cy = NaN] = Reverse.vjp((F) => ([a = F.zero, b = F.zero]) => [f(F)(a, b)])([x, y])[1]([c])
    return [cx, cy]
  }
