/**
 * Making and running scalar laws: {@link runScalarLaw} returns an fp-ts `Either`,
 * {@link checkScalarLaw} throws a `LawError` naming the law, the input and both numbers.
 *
 * @packageDocumentation
 */
import fc from '../fc.js'
import type { Arbitrary } from 'fast-check'
import { isLeft } from 'fp-ts/lib/Either.js'
import { LawError, runLaw } from '../law-runner.js'
import type { LawPass, LawResult, RunOptions } from '../law-runner.js'
import type { ScalarLaw } from './model.js'

/** Makes a law: a property that carries its name, arbitrary and check. @internal */
export const makeLaw = <S>(law: string, arbitrary: Arbitrary<S>, check: (s: S) => void): ScalarLaw<S> =>
  Object.assign(
    fc.property(arbitrary, (s) => {
      check(s)
    }),
    { law, arbitrary, check },
  )

/**
 * Runs a scalar law: `Right` with the run, or `Left` with the first (shrunk) failure naming the
 * law, the input and both numbers. Never throws.
 *
 * @example
 * ```ts
 * import { runScalarLaw, scalarFiniteDifferences } from 'autodiff-ts/laws'
 *
 * runScalarLaw(scalarFiniteDifferences((F) => F.sin), { numRuns: 200 }) // Right({ law, numRuns })
 * ```
 *
 * @category running
 */
export const runScalarLaw = <S>(law: ScalarLaw<S>, options: RunOptions = {}): LawResult =>
  runLaw(law.law, law.arbitrary, law.check, options)

/**
 * Runs a scalar law and throws a `LawError` (naming the law, the input and both numbers) if it
 * fails; returns the pass otherwise. One call in a test.
 *
 * @throws LawError when the law fails.
 * @example
 * ```ts
 * import { checkScalarLaw, scalarChainRule } from 'autodiff-ts/laws'
 *
 * checkScalarLaw(scalarChainRule((F) => F.sin, (F) => F.exp))
 * ```
 *
 * @category running
 */
export const checkScalarLaw = <S>(law: ScalarLaw<S>, options: RunOptions = {}): LawPass => {
  const r = runScalarLaw(law, options)
  if (isLeft(r)) throw new LawError(r.left)
  return r.right
}
