/**
 * Helpers of the batch rules (`vmap`): a batched value carries its batch axis first; before a
 * broadcasting primitive, batched arguments get unit axes after the batch axis so that every
 * argument lines up from the right as it does for one example.
 *
 * @packageDocumentation
 * @internal
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape } from '../Tensor.js'
import type { Algebra, Prim } from './types.js'

/** The rank of one example of a value. */
const exampleRank = <T>(A: Algebra<T>, x: T, batched: boolean): number => A.shape(x).length - (batched ? 1 : 0)

/** `[B, ...ones, ...rest]` of rank `1 + rank`. */
const expanded = (shape: Shape, rank: number): Shape => [shape[0]!, ...Array<number>(rank - (shape.length - 1)).fill(1), ...shape.slice(1)]

/**
 * The arguments with every batched one reshaped to `1 + R` axes (R the largest example rank of
 * all arguments and of `minRank`), so that broadcasting lines them up as for one example.
 */
export const alignBatched = <T>(A: Algebra<T>, args: readonly T[], batched: readonly boolean[], minRank = 0): T[] => {
  const R = Math.max(minRank, ...args.map((x, i) => exampleRank(A, x, batched[i]!)))
  return args.map((x, i) => (batched[i]! && exampleRank(A, x, true) < R ? A.reshape(x, expanded(A.shape(x), R)) : x))
}

/** The batch extent of the first batched argument. */
export const batchSize = <T>(A: Algebra<T>, args: readonly T[], batched: readonly boolean[]): number =>
  A.shape(args[batched.indexOf(true)]!)[0]!

/** Every argument batched: the unbatched ones broadcast along a new leading axis of extent `n`. */
export const allBatched = <T>(A: Algebra<T>, args: readonly T[], batched: readonly boolean[]): T[] => {
  const n = batchSize(A, args, batched)
  return args.map((x, i) => (batched[i]! ? x : A.broadcastTo(x, [n, ...A.shape(x)])))
}

/**
 * The batch rule every primitive can fall back on, JAX's loop: `prim` applied to one example at
 * a time (the unbatched arguments shared) and the results stacked along a new leading axis.
 */
export const loopBatch = <T, P>(A: Algebra<T>, prim: Prim<P>, args: readonly T[], batched: readonly boolean[], params: P = undefined as P): T => {
  const n = batchSize(A, args, batched)
  if (n === 0) throw new ShapeError(prim.name, 'at least one example under vmap (it has no batch rule, so it runs once per example and its shape is unknown without one)', args.map((x) => A.shape(x)))
  const rows = Array.from({ length: n }, (_, i) => {
    const y = A.bind(prim, args.map((x, k) => (batched[k] ? A.reshape(A.slice(x, 0, i, i + 1), A.shape(x).slice(1)) : x)), params)
    return A.reshape(y, [1, ...A.shape(y)])
  })
  return A.concat(rows, 0)
}
