/**
 * Laws on the values a derivative takes: within an interval ({@link derivativeBounds}) or among
 * given values ({@link derivativeValues}).
 *
 * @packageDocumentation
 */
import type { ScalarFn } from '../../src/Floating.js'
import { scalarPoint } from '../arbitraries.js'
import { compareNumbers, guard, LawViolation, showPoint } from '../law-runner.js'
import type { ScalarLaw, ScalarLawOptions } from './model.js'
import { ScalarLawNames } from './model.js'
import { modesOf, pointsOf, tolerances, withMode } from './options.js'
import { makeLaw } from './runner.js'

/**
 * An interval for {@link derivativeBounds}, such as `(0, 1/4]` for the derivative of the
 * sigmoid: `{ lower: 0, lowerOpen: true, upper: 0.25, upperAt: [0] }`.
 *
 * @category model
 */
export interface Interval {
  /** The lower bound. */
  readonly lower: number
  /** The upper bound. */
  readonly upper: number
  /** Whether `lower` itself is excluded; default false. */
  readonly lowerOpen?: boolean
  /** Whether `upper` itself is excluded; default false. */
  readonly upperOpen?: boolean
  /** The only points where `f'` equals `lower`: it must equal it there and exceed it elsewhere. */
  readonly lowerAt?: readonly number[]
  /** The only points where `f'` equals `upper`: it must equal it there and stay below elsewhere. */
  readonly upperAt?: readonly number[]
}

const showInterval = (b: Interval): string =>
  `${b.lowerOpen === true ? '(' : '['}${b.lower}, ${b.upper}${b.upperOpen === true ? ')' : ']'}`

/**
 * Derivative bounds: in each mode, `f'(x)` lies in the interval at every sampled point; where the
 * interval names the points at which a bound is attained (`upperAt`, `lowerAt`), `f'` equals the
 * bound there (to `identityRtol`) and is strictly inside it at every sampled point, which keep
 * `margin` away from those points.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { derivativeBounds } from 'autodiff-ts/laws'
 *
 * // tanh' in (0, 1], equal to 1 only at 0
 * fc.assert(derivativeBounds((F) => F.tanh, { lower: 0, lowerOpen: true, upper: 1, upperAt: [0] }))
 * ```
 *
 * @category laws
 */
export const derivativeBounds = (f: ScalarFn, bounds: Interval, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = `${ScalarLawNames.bounds} ${showInterval(bounds)}`
  const tol = tolerances(options)
  const { lowerAt = [], upperAt = [] } = bounds
  const points = options.arbitrary ?? scalarPoint({ ...options, kinks: [...(options.kinks ?? []), ...lowerAt, ...upperAt] })
  return makeLaw(law, points, (x) => {
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      for (const [at, bound] of [...lowerAt.map((p) => [p, bounds.lower] as const), ...upperAt.map((p) => [p, bounds.upper] as const)]) {
        const input = showPoint({ x: at })
        const d = guard(lm, input, "f'(x)", () => m.derivative(f)(at))
        compareNumbers(lm, input, "f'(x) at a point where the bound is attained", bound, d, { rtol: tol.identityRtol, atol: 0 })
      }
      const input = showPoint({ x })
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      const strictLower = bounds.lowerOpen === true || lowerAt.length > 0
      const strictUpper = bounds.upperOpen === true || upperAt.length > 0
      const aboveLower = strictLower ? d > bounds.lower : d >= bounds.lower
      const belowUpper = strictUpper ? d < bounds.upper : d <= bounds.upper
      if (!aboveLower)
        throw new LawViolation(lm, input, `expected f'(x) ${strictLower ? '>' : '>='} ${bounds.lower}, got ${d}`, bounds.lower, d)
      if (!belowUpper)
        throw new LawViolation(lm, input, `expected f'(x) ${strictUpper ? '<' : '<='} ${bounds.upper}, got ${d}`, bounds.upper, d)
    }
  })
}

/**
 * Derivative values: in each mode, `f'(x)` is exactly one of `values` at every sampled point
 * (e.g. relu' in {0, 1}, step' = 0).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { derivativeValues } from 'autodiff-ts/laws'
 *
 * fc.assert(derivativeValues((F) => F.abs, [-1, 0, 1]))
 * ```
 *
 * @category laws
 */
export const derivativeValues = (f: ScalarFn, values: readonly number[], options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = `${ScalarLawNames.values} {${values.join(', ')}}`
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      if (!values.includes(d))
        throw new LawViolation(lm, input, `expected f'(x) to be one of ${values.join(', ')}, got ${d}`, values[0], d)
    }
  })
}
