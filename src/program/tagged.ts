/**
 * The part every derived instance (forward, reverse, batched) shares: its values are tagged with
 * the one call they belong to, and a value from anywhere else is refused with a `TypeError`
 * naming the primitive, the argument and what was found; and, for forward and reverse mode, the
 * core functions that only look through a value to the base instance's value underneath.
 *
 * @packageDocumentation
 * @internal
 */
import { wrongArgument } from './describe.js'
import type { Algebra, Core } from './types.js'

/** The guard and the checker of the values tagged `tag`, for the instance named `mode`. */
export const tagged = <V extends { readonly tag: object }>(tag: object, mode: string) => {
  const is = (u: unknown): u is V => typeof u === 'object' && u !== null && (u as V).tag === tag
  const check = (op: string, i: number, u: unknown): V => {
    if (!is(u)) throw wrongArgument(op, i, mode, u)
    return u
  }
  return { is, check }
}

/** The core functions of an instance whose values wrap a base value (read by `under`). */
export const lookThrough = <V, T>(
  base: Algebra<T>,
  mode: string,
  under: (op: string, i: number, x: unknown) => T,
  constant: (t: T) => V,
  is: (u: unknown) => u is V,
): Omit<Core<V>, 'bind'> => ({
  name: mode,
  shape: (x) => base.shape(under('shape', 0, x)),
  of: (t) => constant(base.of(t)),
  primal: (x) => base.primal(under('primal', 0, x)),
  is,
  compare: (op, x, y) => base.compare(op, under(op, 0, x), under(op, 1, y)),
})
