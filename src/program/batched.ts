/**
 * The batched instance of the tensor algebra, for `vmap`: a value is a value of the base
 * instance with or without a leading batch axis; a program sees one example (shapes without the
 * batch axis), and `bind` calls a primitive's batch rule when an argument is batched.
 *
 * @packageDocumentation
 */
import { algebra } from './algebra.js'
import { alignBatched } from './batching.js'
import { batchedBy } from './data.js'
import { tagged } from './tagged.js'
import type { Algebra, Core } from './types.js'

/**
 * A value of the batched instance over a base whose values are `T`.
 *
 * @example
 * ```ts
 * import { Program, tensor, type Tensor } from 'autodiff-ts'
 *
 * const [B, make] = Program.batching(Program.plain)
 * const x: Program.BatchedValue<Tensor> = make(tensor([[1, 2], [3, 4]]), true)
 * B.shape(x) // [2]: one example
 * B.sum(x).value // [3, 7]: one sum per example
 * ```
 * @category model
 */
export interface BatchedValue<T> {
  /** Which call of `vmap` the value belongs to. */
  readonly mode: string
  /** The tag of that call. */
  readonly tag: object
  /** The value, with the batch axis first if `batched`. */
  readonly value: T
  /** Whether axis 0 of `value` is the batch axis. */
  readonly batched: boolean
}

let calls = 0

/**
 * A fresh batched instance over `base` (one per call of `vmap`), with the constructor of its
 * values and the call's tag (which masks and labels batched by the call carry in `batchTags`).
 * `base` may itself be a batched instance: the values of this one then hold the values of that
 * one, so the two batch axes never meet (the outer one is invisible here).
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * const [B, make] = Program.batching(Program.plain)
 * B.matmul(make(tensor([[1, 0], [0, 1]]), true), B.constant(tensor([[1, 2], [3, 4]]))).value // [[1, 2], [3, 4]]
 * // nested: the inner instance sees one example of the outer one
 * const [C, inner] = Program.batching(B)
 * C.shape(inner(make(tensor([[[1, 2]], [[3, 4]]]), true), true)) // [2]
 * ```
 * @category instances
 */
export const batching = <T>(base: Algebra<T>): readonly [Algebra<BatchedValue<T>>, (value: T, batched: boolean) => BatchedValue<T>, object] => {
  const tag = {}
  const mode = `vmap call ${++calls}`
  const make = (value: T, batched: boolean): BatchedValue<T> => Object.freeze({ mode, tag, value, batched })
  const { is, check } = tagged<BatchedValue<T>>(tag, mode)
  const core: Core<BatchedValue<T>> = {
    name: mode,
    shape: (x) => {
      const s = base.shape(check('shape', 0, x).value)
      return x.batched ? s.slice(1) : s
    },
    of: (t) => make(base.of(t), false),
    primal: (x) => base.primal(check('primal', 0, x).value),
    is,
    compare: (op, x, y) => {
      const [a, b] = [check(op, 0, x), check(op, 1, y)]
      if (!a.batched && !b.batched) return base.compare(op, a.value, b.value)
      const [p, q] = alignBatched(base, [a.value, b.value], [a.batched, b.batched])
      const m = base.compare(op, p!, q!)
      return Object.freeze({ ...m, batchTags: [...m.batchTags, tag] })
    },
    bind: (prim, args, params) => {
      const xs = args.map((a, i) => check(prim.name, i, a))
      const flags = xs.map((x) => x.batched)
      const values = xs.map((x) => x.value)
      const paramsBatched = batchedBy(params, tag, mode, prim.name)
      return flags.some((f) => f) || paramsBatched
        ? make(prim.batch(base, values, flags, params, paramsBatched), true)
        : make(base.bind(prim, values, params), false)
    },
  }
  return [algebra(core), make, tag]
}
