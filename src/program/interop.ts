/**
 * Layers and `Diff`s inside programs: `call(d)(A)(x)` applies a differentiable function value
 * to values of any algebra. A layer made from a program (`Layer.fromFunction`) runs its program,
 * so it nests like any code; any other `Diff` becomes a primitive whose rules are its own `jvp`
 * and `vjp` on tensors, which serve plain, forward and reverse mode but not nested modes (a
 * clear `TypeError` says so).
 *
 * @packageDocumentation
 */
import type { Diff } from '../Diff.js'
import type { Tensor } from '../Tensor.js'
import { isTensor, wrap } from '../Tensor.js'
import { describeValue } from './describe.js'
import { plain } from './plain.js'
import { leavesOf, mapLeaves } from './trees.js'
import type { Algebra, Prim } from './types.js'

/**
 * The values of an algebra in place of the tensors of `X` (a tensor, or a tree of them).
 *
 * @example
 * ```ts
 * import type { Program, Tensor } from 'autodiff-ts'
 *
 * type P = Program.Lift<{ readonly w: Tensor; readonly b: Tensor }, number> // { w: number; b: number }
 * ```
 * @category model
 */
export type Lift<X, T> = X extends Tensor ? T : X extends number | string | boolean | null | undefined | ArrayLike<number> ? X : { readonly [K in keyof X]: Lift<X[K], T> }

/**
 * A differentiable value that carries the program it was made from (as layers made by
 * `Layer.fromFunction` do): calling it inside a program runs the program, so it nests.
 *
 * @example
 * ```ts
 * import { Program } from 'autodiff-ts'
 *
 * const isFromProgram = (d: object): boolean => 'program' in d
 * ```
 * @category model
 */
export interface WithProgram {
  /** The program, taking the input tree (with the algebra's values for tensors). */
  readonly program: <T>(A: Algebra<T>) => (x: unknown) => T
}

const asTensor = (name: string, y: unknown): Tensor => {
  if (typeof y === 'number') return wrap([], Float64Array.of(y))
  if (isTensor(y)) return y
  throw new TypeError(`${name}: the Diff should return a tensor or a number, found ${describeValue(y)}`)
}

const nestedError = (name: string, A: Algebra<unknown>): TypeError =>
  new TypeError(
    `${name}: a Diff carries no program, so its rules run on tensors only (plain, forward and reverse mode); in ${A.name} it cannot be differentiated again: build it with Layer.fromFunction to nest it`,
  )

const diffPrim = <X>(d: Diff<X, Tensor | number>, x: X, name: string): Prim<undefined> => {
  const rebuild = (ls: readonly Tensor[]): X => {
    let k = 0
    return mapLeaves(x, isTensor, () => ls[k++]!) as X
  }
  const flat = (t: unknown): Tensor[] => leavesOf(t, isTensor)
  const self: Prim<undefined> = {
    name,
    value: (xs) => asTensor(name, d.apply(rebuild(xs))),
    jvp: (A, xs, _y, ts) => {
      if ((A as unknown) !== plain) throw nestedError(name, A as Algebra<unknown>)
      const ps = xs as unknown as Tensor[]
      const dx = ps.map((p, i) => (ts[i] as Tensor | undefined) ?? wrap(p.shape, new Float64Array(p.data.length)))
      return asTensor(name, d.jvp(rebuild(ps), rebuild(dx))[1]) as never
    },
    vjp: (A, xs, _y, g) => {
      if ((A as unknown) !== plain) throw nestedError(name, A as Algebra<unknown>)
      const [y, back] = d.vjp(rebuild(xs as unknown as Tensor[]))
      const gy = typeof y === 'number' ? (g as unknown as Tensor).data[0]! : g
      return flat(back(gy as never)) as never
    },
    batch: () => {
      throw new TypeError(`${name}: a Diff carries no program and has no batch rule; build it with Layer.fromFunction to use it under vmap`)
    },
  }
  return self
}

/**
 * A `Diff` (a layer, an activation, a loss, any composition) applied inside a program: `x` is
 * its input with the algebra's values for tensors (a layer takes `[params, input]`). A layer made
 * by `Layer.fromFunction` runs its program (every mode, nested included); any other `Diff` runs
 * in plain, forward and reverse mode, and refuses nesting with a `TypeError`.
 *
 * @example
 * ```ts
 * import { Layer, Program, tensor } from 'autodiff-ts'
 *
 * const dense = Layer.dense(2, 1)
 * const p = { w: tensor([[1], [2]]), b: tensor([0]) }
 * const f = <T>(A: Program.Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.tanh(Program.call(dense)(A)([q, x])))
 * Program.grad(f)(p, tensor([[0, 0]])).w // [[0], [0]]
 * ```
 * @category transformations
 */
export const call =
  <X, Y extends Tensor | number>(d: Diff<X, Y> | (Diff<X, Y> & WithProgram), name = 'Diff') =>
  <T>(A: Algebra<T>) =>
  (x: Lift<X, T>): T => {
    if ('program' in d) return d.program(A)(x)
    const leaves = leavesOf(x, A.is)
    const plainX = mapLeaves(x, A.is, (t) => A.primal(t)) as X
    return A.bind(diffPrim(d as unknown as Diff<X, Tensor | number>, plainX, name), leaves, undefined)
  }

