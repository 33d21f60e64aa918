/**
 * The machinery shared by the tensor laws: law results as fp-ts `Either`s, the error a law throws
 * inside a property, tolerant comparisons that say which element failed with both numbers, and a
 * compact printer for trees.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import { isTensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'

/**
 * Why a law failed: which law, at which sampled point, and (for a numeric comparison) the two
 * numbers that disagree.
 *
 * @category model
 */
export interface LawFailure {
  /** The law, e.g. `dot-product test: <jvp(x, t), c> = <t, vjp(x)(c)>`. */
  readonly law: string
  /** The sampled point, printed: `x = ..., t = ..., c = ...`. */
  readonly input: string
  /** What the law predicts (for a numeric comparison). */
  readonly expected?: number
  /** What the function under test gave (for a numeric comparison). */
  readonly actual?: number
  /** One sentence with all of the above, and the fast-check seed to replay the run. */
  readonly message: string
  /** The fast-check seed of the failing run. */
  readonly seed?: number
}

/**
 * A law that held on every sampled point.
 *
 * @category model
 */
export interface LawPass {
  /** The law. */
  readonly law: string
  /** How many points were sampled. */
  readonly numRuns: number
}

/**
 * The outcome of a law: `Left` with the first failure (after shrinking) or `Right` with the run.
 *
 * @category model
 */
export type LawResult = Either<LawFailure, LawPass>

/**
 * Options common to the tensor laws.
 *
 * @category model
 */
export interface RunOptions {
  /** Sampled points per law; default 100. */
  readonly numRuns?: number
  /** fast-check seed, to replay a failure. */
  readonly seed?: number
}

/**
 * Tolerances of the tensor laws. A comparison of a predicted `e` with an actual `a` passes when
 * `|e - a| <= rtol * max(|e|, |a|, scale) + atol (+ noise)`, where `scale` is the sum of the
 * magnitudes of the terms that make up the two sides (so cancellation does not make the test
 * impossibly strict) and `noise` is the rounding error of finite differences.
 *
 * @category model
 */
export interface Tolerances {
  /** Relative tolerance of finite differences; default `1e-6`. */
  readonly rtol?: number
  /** Relative tolerance of identities exact in real arithmetic (dot product, linearity, chain rule, category laws, add/mul rules); default `1e-9`. */
  readonly identityRtol?: number
  /** Absolute floor of every comparison; default `1e-9`. */
  readonly atol?: number
}

/**
 * The error a law throws inside its property; {@link runLaw} turns it into a {@link LawFailure}.
 *
 * @category model
 */
export class LawViolation extends Error {
  /** `'LawViolation'`. */
  override readonly name = 'LawViolation'
  constructor(
    /** The law. */
    readonly law: string,
    /** The sampled point, printed. */
    readonly input: string,
    /** What went wrong, in words. */
    readonly detail: string,
    /** The predicted number, if any. */
    readonly expected?: number,
    /** The actual number, if any. */
    readonly actual?: number,
  ) {
    super(`${law}: ${detail} at ${input}`)
  }
}

/**
 * The error {@link assertLaw} and `checkDiff` throw: its message names the law, the input and
 * both numbers.
 *
 * @category model
 */
export class LawError extends Error {
  /** `'LawError'`. */
  override readonly name = 'LawError'
  constructor(
    /** The failure. */
    readonly failure: LawFailure,
  ) {
    super(failure.message)
  }
}

/**
 * Throws a {@link LawError} if the law failed; otherwise returns the pass.
 *
 * @throws LawError naming the law, the input and both numbers.
 * @example
 * ```ts
 * import { ops } from 'autodiff-ts'
 * import { assertLaw, dotProductLaw, tensor } from 'autodiff-ts/laws'
 *
 * assertLaw(dotProductLaw(ops.exp, { arbitrary: tensor() })).numRuns // 100
 * ```
 *
 * @category running
 */
export const assertLaw = (r: LawResult): LawPass => {
  if (isLeft(r)) throw new LawError(r.left)
  return r.right
}

/**
 * Runs a property: `check` throws a {@link LawViolation} (or anything else) at a failing point.
 * The result is the shrunk failure, never an exception.
 *
 * @example
 * ```ts
 * import { runLaw } from 'autodiff-ts/laws'
 * import fc from 'fast-check'
 *
 * runLaw('non-negative', fc.nat(), (n) => { if (n < 0) throw new Error('negative') })._tag // 'Right'
 * runLaw('small', fc.nat(), (n) => { if (n > 10) throw new Error('too big') })._tag // 'Left'
 * ```
 *
 * @category running
 */
export const runLaw = <S>(law: string, arb: Arbitrary<S>, check: (s: S) => void, options: RunOptions = {}): LawResult => {
  const { numRuns = 100, seed } = options
  const details = fc.check(
    fc.property(arb, (s) => {
      check(s)
    }),
    seed === undefined ? { numRuns } : { numRuns, seed },
  )
  if (!details.failed) return right({ law, numRuns: details.numRuns })
  const e = details.errorInstance
  const replay = ` (fast-check seed ${details.seed})`
  if (e instanceof LawViolation) {
    const base = { law: e.law, input: e.input, message: e.message + replay, seed: details.seed }
    return left({
      ...base,
      ...(e.expected === undefined ? {} : { expected: e.expected }),
      ...(e.actual === undefined ? {} : { actual: e.actual }),
    })
  }
  const input = details.counterexample === null ? 'unknown input' : showValue(details.counterexample)
  const why = e instanceof Error ? e.message : details.interrupted ? 'interrupted' : String(e)
  return left({ law, input, message: `${law}: ${why} at ${input}${replay}`, seed: details.seed })
}

/**
 * Runs `f`; if it throws, rethrows as a violation of `law` at `input`, naming what was called.
 *
 * @example
 * ```ts
 * import { guard } from 'autodiff-ts/laws'
 *
 * guard('my law', 'x = 1', 'f.apply', () => 1) // 1
 * ```
 *
 * @category running
 */
export const guard = <R>(law: string, input: string, what: string, f: () => R): R => {
  try {
    return f()
  } catch (e) {
    if (e instanceof LawViolation) throw e
    throw new LawViolation(law, input, `${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

const MAX_SHOWN = 12

const showNumber = (x: number): string => (Object.is(x, -0) ? '-0' : String(x))

/**
 * A compact, exact printing of a tree (numbers in full precision, tensors as
 * `tensor([shape], [first entries ...])`) or of any other value.
 *
 * @example
 * ```ts
 * import { showValue } from 'autodiff-ts/laws'
 *
 * showValue({ w: 1.5, b: [2] }) // '{ w: 1.5, b: [2] }'
 * ```
 *
 * @category printing
 */
export const showValue = (u: unknown): string => {
  if (typeof u === 'number') return showNumber(u)
  if (isTensor(u)) {
    const n = u.data.length
    const shown: string[] = []
    for (let i = 0; i < Math.min(n, MAX_SHOWN); i++) shown.push(showNumber(u.data[i]!))
    return `tensor([${u.shape.join(', ')}], [${shown.join(', ')}${n > MAX_SHOWN ? `, ... ${n - MAX_SHOWN} more` : ''}])`
  }
  if (Array.isArray(u)) return `[${u.map(showValue).join(', ')}]`
  if (typeof u === 'object' && u !== null)
    return `{ ${Object.entries(u)
      .map(([k, v]) => `${k}: ${showValue(v)}`)
      .join(', ')} }`
  return String(u)
}

/**
 * Prints named values: `x = ..., t = ...`.
 *
 * @example
 * ```ts
 * import { showPoint } from 'autodiff-ts/laws'
 *
 * showPoint({ x: 1, t: 2 }) // 'x = 1, t = 2'
 * ```
 *
 * @category printing
 */
export const showPoint = (named: Readonly<Record<string, unknown>>): string =>
  Object.entries(named)
    .map(([k, v]) => `${k} = ${showValue(v)}`)
    .join(', ')

// ---------------------------------------------------------------------------------------------
// Comparisons

/**
 * The scalars of a tree as one vector, after checking that `actual` has the structure of
 * `expected`; a mismatch is a violation of `law`.
 *
 * @example
 * ```ts
 * import { vectorLike } from 'autodiff-ts/laws'
 *
 * vectorLike('law', 'x = 1', 'the pullback', [0, 0], [1, 2]) // [1, 2]
 * vectorLike('law', 'x = 1', 'the pullback', [0, 0], [1]) // throws LawViolation
 * ```
 *
 * @category comparisons
 */
export const vectorLike = (law: string, input: string, what: string, like: unknown, actual: unknown): Float64Array => {
  if (!T.structureEq(like, actual))
    throw new LawViolation(
      law,
      input,
      `${what} has the wrong structure: expected something shaped like ${showValue(like)}, got ${showValue(actual)}`,
    )
  return T.ravel(actual as Tree)[0]
}

/**
 * Compares two vectors element by element: element `i` passes when
 * `|e - a| <= rtol * max(|e|, |a|, scale[i]) + atol + noise[i]`. The first failure is thrown as a
 * violation of `law` naming the element and both numbers; NaN never passes.
 *
 * @example
 * ```ts
 * import { compareVectors } from 'autodiff-ts/laws'
 *
 * compareVectors('law', 'x = 1', 'the value', Float64Array.of(1), Float64Array.of(1 + 1e-12), { rtol: 1e-9, atol: 0 }) // passes
 * compareVectors('law', 'x = 1', 'the value', Float64Array.of(1), Float64Array.of(2), { rtol: 1e-9, atol: 0 }) // throws LawViolation
 * ```
 *
 * @category comparisons
 */
export const compareVectors = (
  law: string,
  input: string,
  what: string,
  expected: Float64Array,
  actual: Float64Array,
  tol: { readonly rtol: number; readonly atol: number; readonly scale?: Float64Array; readonly noise?: Float64Array },
): void => {
  if (expected.length !== actual.length)
    throw new LawViolation(law, input, `${what} has ${actual.length} scalars, expected ${expected.length}`)
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!
    const a = actual[i]!
    const s = tol.scale?.[i] ?? 0
    const bound = tol.rtol * Math.max(Math.abs(e), Math.abs(a), s) + tol.atol + (tol.noise?.[i] ?? 0)
    if (!(Math.abs(e - a) <= bound) || !Number.isFinite(e) || !Number.isFinite(a)) {
      const where = expected.length === 1 ? '' : ` (scalar ${i} of ${expected.length})`
      throw new LawViolation(law, input, `${what}${where}: expected ${showNumber(e)}, got ${showNumber(a)}`, e, a)
    }
  }
}

/**
 * Compares two numbers as {@link compareVectors} does with one element.
 *
 * @example
 * ```ts
 * import { compareNumbers } from 'autodiff-ts/laws'
 *
 * compareNumbers('law', 'x = 1', 'the inner product', 2, 2 + 1e-12, { rtol: 1e-9, atol: 0 }) // passes
 * compareNumbers('law', 'x = 1', 'the inner product', 2, 3, { rtol: 1e-9, atol: 0 }) // throws LawViolation
 * ```
 *
 * @category comparisons
 */
export const compareNumbers = (
  law: string,
  input: string,
  what: string,
  expected: number,
  actual: number,
  tol: { readonly rtol: number; readonly atol: number; readonly scale?: number; readonly noise?: number },
): void =>
  compareVectors(law, input, what, Float64Array.of(expected), Float64Array.of(actual), {
    rtol: tol.rtol,
    atol: tol.atol,
    scale: Float64Array.of(tol.scale ?? 0),
    noise: Float64Array.of(tol.noise ?? 0),
  })

/**
 * Throws a violation if any scalar of a tree is NaN or infinite.
 *
 * @example
 * ```ts
 * import { assertFinite } from 'autodiff-ts/laws'
 *
 * assertFinite('law', 'x = 1', 'the value', [1, 2]) // returns: every scalar is finite
 * assertFinite('law', 'x = 1', 'the value', [1, NaN]) // throws LawViolation
 * ```
 *
 * @category comparisons
 */
export const assertFinite = (law: string, input: string, what: string, t: unknown): void => {
  const v = guard(law, input, `reading ${what}`, () => T.ravel(t as Tree)[0])
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i]!))
      throw new LawViolation(law, input, `${what} is not finite: scalar ${i} is ${showNumber(v[i]!)}`, undefined, v[i]!)
}
