/**
 * Trees of values (arrays and plain records, as JAX's pytrees) whose leaves are the values of an
 * algebra: mapped leaf by leaf, everything that is not a leaf (labels, numbers, options) left
 * as it is.
 *
 * @packageDocumentation
 * @internal
 */
import { isData } from './data.js'

/** A plain record: an object literal or an object without a prototype (not an array or a class instance). */
export const isRecord = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== 'object' || u === null) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/**
 * `t` with every leaf (as told by `is`) replaced by `f(leaf)`; arrays and records are rebuilt;
 * masks and labels are data, kept whole unless they are leaves.
 */
export const mapLeaves = <A, B>(t: unknown, is: (u: unknown) => u is A, f: (a: A) => B): unknown => {
  if (is(t)) return f(t)
  if (isData(t)) return t
  if (Array.isArray(t)) return Object.freeze(t.map((x) => mapLeaves(x, is, f)))
  if (isRecord(t)) return Object.freeze(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, mapLeaves(v, is, f)])))
  return t
}

/** The leaves of `t`, in the order {@link mapLeaves} visits them. */
export const leavesOf = <A>(t: unknown, is: (u: unknown) => u is A): A[] => {
  const out: A[] = []
  mapLeaves(t, is, (a) => {
    out.push(a)
    return a
  })
  return out
}
