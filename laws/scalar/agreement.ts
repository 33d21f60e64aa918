/**
 * Forward/reverse agreement (the dot-product test) and agreement with central finite differences,
 * for functions of one and of several variables.
 *
 * @packageDocumentation
 */
import fc from '../fc.js'
import type { Arbitrary } from 'fast-check'
import * as Dual from '../../src/Dual.js'
import { floatingNumber as N } from '../../src/Floating.js'
import type { MultiFn, ScalarFn } from '../../src/Floating.js'
import * as Reverse from '../../src/Reverse.js'
import { distanceToKinks, scalarVector, unitDirection } from '../arbitraries.js'
import type { PointOptions } from '../arbitraries.js'
import { compareNumbers, guard, LawViolation, showPoint } from '../law-runner.js'
import type { Tolerances } from '../law-runner.js'
import { cotangent } from './backward.js'
import { centralDifference, checkStep, defaultStep, stepAt } from './difference.js'
import type { ScalarLaw, ScalarLawOptions } from './model.js'
import { ScalarLawNames } from './model.js'
import { modesOf, pointsOf, tolerances, withMode } from './options.js'
import { makeLaw } from './runner.js'

/**
 * The options of the laws of a function of several variables.
 *
 * @category model
 */
export interface MultiLawOptions extends Tolerances {
  /** The number of variables. */
  readonly dim: number
  /** Where to sample: one range for every variable, or one per variable; default `[-10, 10]`. */
  readonly ranges?: PointOptions | readonly PointOptions[]
  /** The points to sample; overrides `ranges`. */
  readonly arbitrary?: Arbitrary<readonly number[]>
  /** Forward mode: the value and the directional derivative; default `Dual.jvp`. */
  readonly jvp?: (f: MultiFn) => (xs: readonly number[], ts: readonly number[]) => readonly [number, number]
  /** Reverse mode: the value and the gradient; default `Reverse.valueAndGrad`. */
  readonly valueAndGrad?: (f: MultiFn) => (xs: readonly number[]) => readonly [number, readonly number[]]
  /**
   * The finite-difference step at `xs` along the unit direction `ts`; default
   * `1e-3 max(1, max|x_i|)`, and at most a hundredth of the distance to the nearest kink of each
   * variable along the direction.
   */
  readonly step?: (xs: readonly number[], ts: readonly number[]) => number
}

const rangesOf = (o: MultiLawOptions): readonly PointOptions[] => {
  const r = o.ranges
  const ranges: readonly PointOptions[] = Array.isArray(r) ? r : Array.from({ length: o.dim }, () => (r ?? {}) as PointOptions)
  if (ranges.length !== o.dim)
    throw new RangeError(`MultiLawOptions.ranges: expected ${o.dim} ranges, one per variable (dim), got ${ranges.length}`)
  return ranges
}

const multiPoints = (o: MultiLawOptions): Arbitrary<readonly number[]> => o.arbitrary ?? scalarVector(rangesOf(o))

/** The default step of {@link multiFiniteDifferences}: see {@link MultiLawOptions}. */
const multiStep =
  (ranges: readonly PointOptions[]) =>
  (xs: readonly number[], ts: readonly number[]): number => {
    let h = 1e-3 * Math.max(1, ...xs.map(Math.abs))
    xs.forEach((x, i) => {
      const t = Math.abs(ts[i]!)
      if (t > 0) h = Math.min(h, distanceToKinks(x, ranges[i]?.kinks ?? []) / (100 * t))
    })
    return h
  }

/** The gradient from `valueAndGrad`, checked to have one entry per variable. */
const gradientOf = (law: string, input: string, o: MultiLawOptions, f: MultiFn, xs: readonly number[]) => {
  const vag = o.valueAndGrad ?? Reverse.valueAndGrad
  const [y, g] = guard(law, input, 'valueAndGrad', () => vag(f)(xs))
  if (g.length !== xs.length)
    throw new LawViolation(law, input, `the gradient has ${g.length} entries, expected ${xs.length}`)
  return [y, g] as const
}

/**
 * Forward/reverse agreement, the dot-product test for a function of several variables to one:
 * `<jvp(x, t), c> = <t, c grad f(x)>` for a unit direction `t` and a cotangent `c`, to
 * `identityRtol` of the sum of the magnitudes of the terms; and both modes give the same value.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import type { MultiFn } from 'autodiff-ts'
 * import { forwardReverseAgreement } from 'autodiff-ts/laws'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.sin(x), F.exp(y))
 * fc.assert(forwardReverseAgreement(f, { dim: 2 }))
 * ```
 *
 * @category laws
 */
export const forwardReverseAgreement = (
  f: MultiFn,
  options: MultiLawOptions,
): ScalarLaw<[readonly number[], readonly number[], number]> => {
  const law = ScalarLawNames.forwardReverse
  const tol = tolerances(options)
  const jvp = options.jvp ?? Dual.jvp
  const arb = fc.tuple(multiPoints(options), unitDirection(options.dim), cotangent)
  return makeLaw(law, arb, ([xs, ts, c]) => {
    const input = showPoint({ x: xs, t: ts, c })
    const [y1, dy] = guard(law, input, 'jvp', () => jvp(f)(xs, ts))
    const [y2, g] = gradientOf(law, input, options, f, xs)
    compareNumbers(law, input, 'the value by reverse mode against forward mode', y1, y2, {
      rtol: tol.identityRtol,
      atol: 0,
    })
    let rhs = 0
    let scale = 0
    for (let i = 0; i < ts.length; i++) {
      const term = ts[i]! * (c * g[i]!)
      rhs += term
      scale += Math.abs(term)
    }
    compareNumbers(law, input, '<t, c grad f(x)> against <jvp(x, t), c>', dy * c, rhs, {
      rtol: tol.identityRtol,
      atol: tol.atol,
      scale,
    })
  })
}

/**
 * Finite differences: in each mode, `f'(x)` agrees with the fourth-order central difference
 * ({@link centralDifference}) to a relative `rtol` (default `1e-6`) plus `atol` plus the rounding
 * error of the difference. Give the function's kinks (and singularities): points keep away from
 * them and differences never straddle one.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { scalarFiniteDifferences } from 'autodiff-ts/laws'
 *
 * fc.assert(scalarFiniteDifferences((F) => F.log, { min: 1e-3, max: 100, kinks: [0] }))
 * ```
 *
 * @category laws
 */
export const scalarFiniteDifferences = (f: ScalarFn, options: ScalarLawOptions = {}): ScalarLaw<number> => {
  const law = ScalarLawNames.finiteDifferences
  const tol = tolerances(options)
  const step = options.step ?? defaultStep(options.kinks ?? [])
  return makeLaw(law, pointsOf(options), (x) => {
    const input = showPoint({ x })
    const fd = guard(law, input, 'f', () => centralDifference(f(N), x, stepAt(law, input, step, x)))
    for (const m of modesOf(options)) {
      const lm = withMode(law, m)
      const d = guard(lm, input, "f'(x)", () => m.derivative(f)(x))
      compareNumbers(lm, input, "f'(x) against the central difference", fd.value, d, {
        rtol: tol.rtol,
        atol: tol.atol,
        noise: fd.noise,
      })
    }
  })
}

/**
 * Finite differences for a function of several variables, in a random unit direction `t`: the
 * forward-mode `jvp(x, t)` and the reverse-mode `<grad f(x), t>` each agree with the central
 * difference of `s => f(x + s t)` at 0, to `rtol` plus `atol` plus its rounding error.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import type { MultiFn } from 'autodiff-ts'
 * import { multiFiniteDifferences } from 'autodiff-ts/laws'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.pow(x, y)
 * // x^y is singular at x = 0: naming the kink keeps the steps well inside the domain
 * fc.assert(multiFiniteDifferences(f, { dim: 2, ranges: [{ min: 0.1, max: 3, kinks: [0] }, { min: -2, max: 2 }] }))
 * ```
 *
 * @category laws
 */
export const multiFiniteDifferences = (
  f: MultiFn,
  options: MultiLawOptions,
): ScalarLaw<[readonly number[], readonly number[]]> => {
  const law = ScalarLawNames.finiteDifferencesN
  const tol = tolerances(options)
  const jvp = options.jvp ?? Dual.jvp
  const step = options.step ?? multiStep(rangesOf(options))
  return makeLaw(law, fc.tuple(multiPoints(options), unitDirection(options.dim)), ([xs, ts]) => {
    const input = showPoint({ x: xs, t: ts })
    const fn = f(N)
    const h = checkStep(law, input, guard(law, input, 'the step', () => step(xs, ts)))
    const fd = guard(law, input, 'f', () => centralDifference((s) => fn(xs.map((x, i) => x + s * ts[i]!)), 0, h))
    const lf = `${law} (forward mode)`
    const [, dy] = guard(lf, input, 'jvp', () => jvp(f)(xs, ts))
    compareNumbers(lf, input, 'jvp(x, t) against the central difference', fd.value, dy, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd.noise,
    })
    const lr = `${law} (reverse mode)`
    const [, g] = gradientOf(lr, input, options, f, xs)
    let dot = 0
    for (let i = 0; i < ts.length; i++) dot += g[i]! * ts[i]!
    compareNumbers(lr, input, '<grad f(x), t> against the central difference', fd.value, dot, {
      rtol: tol.rtol,
      atol: tol.atol,
      noise: fd.noise,
    })
  })
}
