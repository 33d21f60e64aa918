/**
 * What the tensor laws share when they sample a point (internal; not re-exported by
 * `autodiff-ts/laws`): the default range of directions, cotangents shaped like an output, and the
 * violation raised when there is no such cotangent.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { like } from './arbitraries-tensor.js'
import type { ValueOptions } from './arbitraries-tensor.js'
import { guard, LawViolation, showValue } from './law-runner.js'

/**
 * The default entries of tangents and cotangents: in `[-1, 1]`, those below `1e-6` in magnitude
 * flushed to 0.
 *
 * @example
 * ```ts
 * DEFAULT_DIRECTION.max // 1
 * ```
 *
 * @category arbitraries
 */
export const DEFAULT_DIRECTION: ValueOptions = { min: -1, max: 1, flushBelow: 1e-6 }

/**
 * Trees with the structure of `out()` and entries drawn by `direction`; the constant `undefined`
 * when `out` throws or returns something that is not a tree (the law then reports it, see
 * {@link need}).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 *
 * fc.sample(shapedLike(() => [1, 2], DEFAULT_DIRECTION), { numRuns: 1, seed: 1 })[0]?.length // 2
 * fc.sample(shapedLike(() => 'a', DEFAULT_DIRECTION), { numRuns: 1, seed: 1 })[0] // undefined
 * ```
 *
 * @category arbitraries
 */
export const shapedLike = <B>(out: () => B, direction: ValueOptions): Arbitrary<B | undefined> => {
  let y: B
  try {
    y = out()
  } catch {
    return fc.constant(undefined)
  }
  return T.structureEq(y, y) ? (like(y as Tree, direction) as Arbitrary<B>) : fc.constant(undefined)
}

/**
 * The sampled cotangent `c`; when there is none, the violation of `law` that `make` (named
 * `what`) threw, or that it returned a value that is not a tree of numbers and tensors.
 *
 * @example
 * ```ts
 * need('chain rule: value', 'x = 1', 'f(x)', 2, () => 2) // 2
 * ```
 *
 * @category laws
 */
export const need = <B>(law: string, input: string, what: string, c: B | undefined, make: () => unknown): B => {
  if (c !== undefined) return c
  const y = guard(law, input, what, make)
  throw new LawViolation(law, input, `${what} returned ${showValue(y)}, which is not a tree of numbers and tensors`)
}
