/**
 * Every applicable scalar law of one generic scalar function, in one call.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, right } from 'fp-ts/lib/Either.js'
import type { ScalarFn } from '../../src/Floating.js'
import { LawError } from '../law-runner.js'
import type { LawFailure, LawPass, RunOptions } from '../law-runner.js'
import { scalarFiniteDifferences } from './agreement.js'
import type { Interval } from './bounds.js'
import { derivativeBounds } from './bounds.js'
import { scalarChainRule } from './chain.js'
import { closedFormDerivative } from './identities.js'
import type { ScalarLaw, ScalarLawOptions } from './model.js'
import { runScalarLaw } from './runner.js'


/**
 * What is known about a scalar function, for {@link verifyScalarFn}: where to sample it, and
 * optionally its hand-written derivative and the bounds of its derivative.
 *
 * @category model
 */
export interface ScalarFnSpec extends ScalarLawOptions, RunOptions {
  /** A hand-written derivative to check against (with second derivatives). */
  readonly derivative?: ScalarFn
  /** Bounds of the derivative. */
  readonly bounds?: Interval
}

/**
 * Every applicable scalar law of one generic scalar function, in order: finite differences in
 * both modes, the chain rule (with `sin` outside), the closed form (if `derivative` is given),
 * the bounds (if `bounds` are given). `Left` with the first failure, or `Right` with every pass.
 *
 * @example
 * ```ts
 * import { isRight } from 'fp-ts/lib/Either.js'
 * import { verifyScalarFn } from 'autodiff-ts/laws'
 *
 * isRight(verifyScalarFn((F) => F.atan, { derivative: (F) => (x) => F.recip(F.add(F.one, F.mul(x, x))) }))
 * ```
 *
 * @category running
 */
export const verifyScalarFn = (f: ScalarFn, spec: ScalarFnSpec = {}): Either<LawFailure, readonly LawPass[]> => {
  const sin: ScalarFn = (F) => F.sin
  const laws: ScalarLaw<number>[] = [scalarFiniteDifferences(f, spec), scalarChainRule(f, sin, spec)]
  if (spec.derivative !== undefined) laws.push(closedFormDerivative(f, spec.derivative, spec))
  if (spec.bounds !== undefined) laws.push(derivativeBounds(f, spec.bounds, spec))
  const passes: LawPass[] = []
  for (const law of laws) {
    const r = runScalarLaw(law, spec)
    if (isLeft(r)) return r
    passes.push(r.right)
  }
  return right(passes)
}

/**
 * {@link verifyScalarFn} in one call for a test: throws a `LawError` naming the failing law, the
 * input and both numbers; returns the passes otherwise.
 *
 * @throws LawError on the first law that fails.
 * @example
 * ```ts
 * import type { ScalarFn } from 'autodiff-ts'
 * import { checkScalarFn } from 'autodiff-ts/laws'
 *
 * const softplus: ScalarFn = (F) => (x) => F.log1p(F.exp(x))
 * checkScalarFn(softplus, { derivative: (F) => (x) => F.recip(F.add(F.one, F.exp(F.neg(x)))) })
 * ```
 *
 * @category running
 */
export const checkScalarFn = (f: ScalarFn, spec: ScalarFnSpec = {}): readonly LawPass[] => {
  const r = verifyScalarFn(f, spec)
  if (isLeft(r)) throw new LawError(r.left)
  return r.right
}
