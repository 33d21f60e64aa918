/**
 * Finite differences: the fourth-order {@link centralDifference} with a bound on its rounding
 * error, and the steps the laws take.
 *
 * @packageDocumentation
 */
import { distanceToKinks } from '../arbitraries.js'
import { guard, LawViolation } from '../law-runner.js'

const EPS = 2 ** -52
/** Rounding of a function value is taken to be this many ulps (as in the tensor laws). */
const NOISE_ULPS = 64

/** The default finite-difference step at `x`: see {@link ScalarLawOptions}. @internal */
export const defaultStep =
  (kinks: readonly number[]) =>
  (x: number): number =>
    Math.min(1e-3 * Math.max(Math.abs(x), 1), distanceToKinks(x, kinks) / 100)

/**
 * A finite-difference derivative and a bound on its rounding error.
 *
 * @category model
 */
export interface Difference {
  /** The difference quotient. */
  readonly value: number
  /** A bound on its rounding error, to add to a comparison's tolerance. */
  readonly noise: number
}

/** The fourth-order central difference with an exact step `s`, and its rounding error. */
const quartic = (f: (x: number) => number, x: number, s: number): Difference => {
  const a = f(x - 2 * s)
  const b = f(x - s)
  const c = f(x + s)
  const d = f(x + 2 * s)
  const value = (a - 8 * b + 8 * c - d) / (12 * s)
  return { value, noise: (NOISE_ULPS * EPS * (Math.abs(a) + 8 * Math.abs(b) + 8 * Math.abs(c) + Math.abs(d))) / (12 * s) }
}

/**
 * The derivative of `f` at `x` by the fourth-order central difference
 * `D(h) = (f(x - 2h) - 8 f(x - h) + 8 f(x + h) - f(x + 2h)) / 12h`, extrapolated once
 * (Richardson): `(16 D(h) - D(2h)) / 15` cancels the `h^4` term, so the truncation error is of
 * order `h^6`. Without it the truncation error could pass the tolerance at a correct rule where
 * the derivative is a small difference of large terms (`d/dx x^y log x` near `y log x = -1`).
 * With it, a bound on the rounding error: 64 ulps of every value, divided by the step, plus the
 * rounding of `x +- 4h`. Evaluates `f` within `4h` of `x`.
 *
 * @example
 * ```ts
 * import { centralDifference } from 'autodiff-ts/laws'
 *
 * centralDifference(Math.exp, 0, 1e-3).value // 1, to about 1e-13
 * ```
 *
 * @category laws
 */
export const centralDifference = (f: (x: number) => number, x: number, h: number): Difference => {
  // a step that x + h represents exactly
  const s = x + h - x
  const near = quartic(f, x, s)
  const far = quartic(f, x, 2 * s)
  const value = (16 * near.value - far.value) / 15
  return { value, noise: (16 * near.noise + far.noise) / 15 + (EPS * Math.abs(x) * Math.abs(value)) / s }
}

/** A finite-difference step, checked: a step that is not positive and finite is a violation. @internal */
export const checkStep = (law: string, input: string, h: number): number => {
  if (!(h > 0) || !Number.isFinite(h))
    throw new LawViolation(law, input, `the finite-difference step is ${h}; a point this close to a kink cannot be checked`)
  return h
}

/** The step at `x`, checked (see {@link checkStep}). @internal */
export const stepAt = (law: string, input: string, step: (x: number) => number, x: number): number =>
  checkStep(law, input, guard(law, input, 'the step', () => step(x)))
