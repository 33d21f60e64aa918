/**
 * Layers and `Diff`s inside programs: `call(d)(A)(x)` applies a differentiable function value
 * to values of any algebra. A layer made from a program (`Layer.fromFunction`) runs its program,
 * so it nests like any code; any other `Diff` becomes a primitive whose rules are its own `jvp`
 * and `vjp` on tensors, which serve plain, forward and reverse mode but not nested modes (a
 * clear `TypeError` says so). Under `vmap`, a row-wise `Diff` (dense and activation layers) folds
 * the batch into its rows; any other runs once per example and the results are stacked, the
 * fallback JAX would give, correct for every `Diff`.
 *
 * @packageDocumentation
 */
import type { Diff } from '../Diff.js'
import type { Tensor } from '../Tensor.js'
import { isTensor, wrap } from '../Tensor.js'
import { describeValue } from './describe.js'
import { plain } from './plain.js'
import { loopBatch } from './batching.js'
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

/**
 * A `Diff` that maps the rows (axis 0) of its tensor input independently: for a layer, of the
 * input `x` of `[params, x]`, the parameters shared. Under `vmap` its batch rule folds the batch
 * axis into the rows (one call) instead of looping over the examples. Dense and activation layers
 * (and sequential models of them) are row-wise by their spec; any other `Diff` may say so with
 * `rowwise: true`.
 *
 * @example
 * ```ts
 * import { Activation, type Program } from 'autodiff-ts'
 *
 * const tanh: typeof Activation.tanh.diff & Program.Rowwise = { ...Activation.tanh.diff, rowwise: true }
 * ```
 * @category model
 */
export interface Rowwise {
  /** The input's rows are mapped independently. */
  readonly rowwise: true
}

const ROWWISE_KINDS = new Set(['dense', 'perceptron', 'activation'])

/** Whether a layer spec (a record with a `kind`) is row-wise: dense, activation, or sequential of them. */
const rowwiseSpec = (spec: unknown): boolean => {
  const s = spec as { readonly kind?: unknown; readonly layers?: unknown } | null
  if (typeof s !== 'object' || s === null) return false
  if (s.kind === 'sequential') return Array.isArray(s.layers) && s.layers.every(rowwiseSpec)
  return typeof s.kind === 'string' && ROWWISE_KINDS.has(s.kind)
}

/** Whether a `Diff` maps its input's rows independently. */
const isRowwise = (d: object): boolean => ('rowwise' in d && d.rowwise === true) || ('spec' in d && rowwiseSpec(d.spec))

const asTensor = (name: string, y: unknown): Tensor => {
  if (typeof y === 'number') return wrap([], Float64Array.of(y))
  if (isTensor(y)) return y
  throw new TypeError(`${name}: the Diff should return a tensor or a number, found ${describeValue(y)}`)
}

const nestedError = (name: string, A: Algebra<unknown>): TypeError =>
  new TypeError(
    `${name}: a Diff carries no program, so its rules run on tensors only (plain, forward and reverse mode, each under vmap); in ${A.name} it cannot be differentiated again: build it with Layer.fromFunction to nest it`,
  )

/** A primitive of plain tensors only: its derivatives refuse nesting, its batch rule loops. */
const tensorPrim = (name: string, value: (xs: readonly Tensor[]) => Tensor, batch?: Prim<undefined>['batch']): Prim<undefined> => {
  const self: Prim<undefined> = {
    name,
    value,
    jvp: (A) => {
      throw nestedError(name, A as Algebra<unknown>)
    },
    vjp: (A) => {
      throw nestedError(name, A as Algebra<unknown>)
    },
    batch: batch ?? ((A, xs, batched) => loopBatch(A, self, xs, batched)),
  }
  return self
}

/**
 * The batch rule of a row-wise primitive: the batch axis folded into the rows of the last
 * argument (the others shared), one call; or, when another argument is batched, a loop.
 */
const rowsBatch =
  (self: () => Prim<undefined>): Prim<undefined>['batch'] =>
  (A, xs, batched) => {
    const last = xs.length - 1
    const x = xs[last]!
    const s = A.shape(x)
    if (batched.some((b, i) => b && i !== last) || s.length < 2) return loopBatch(A, self(), xs, batched)
    const y = A.bind(self(), [...xs.slice(0, last), A.reshape(x, [s[0]! * s[1]!, ...s.slice(2)])], undefined)
    return A.reshape(y, [s[0]!, s[1]!, ...A.shape(y).slice(1)])
  }

const diffPrim = <X>(d: Diff<X, Tensor | number>, x: X, name: string): Prim<undefined> => {
  const rebuild = (ls: readonly Tensor[]): X => {
    let k = 0
    return mapLeaves(x, isTensor, () => ls[k++]!) as X
  }
  const flat = (t: unknown): Tensor[] => leavesOf(t, isTensor)
  const n = flat(x).length
  // the rules as primitives of their own, so that under vmap they loop like the value
  const tangent = tensorPrim(`${name} (jvp)`, (xts) => asTensor(name, d.jvp(rebuild(xts.slice(0, n)), rebuild(xts.slice(n)))[1]))
  const cotangents = tensorPrim(`${name} (vjp)`, (xg) => {
    const [y, back] = d.vjp(rebuild(xg.slice(0, n)))
    const g = xg[n]!
    const cs = flat(back((typeof y === 'number' ? g.data[0]! : g) as never))
    return wrap([cs.reduce((k, c) => k + c.data.length, 0)], Float64Array.from(cs.flatMap((c) => Array.from(c.data))))
  })
  const self: Prim<undefined> = {
    name,
    value: (xs) => asTensor(name, d.apply(rebuild(xs))),
    jvp: (A, xs, _y, ts) => A.bind(tangent, [...xs, ...xs.map((p, i) => ts[i] ?? A.broadcastTo(A.constant(0), A.shape(p)))], undefined),
    vjp: (A, xs, _y, g) => {
      const all = A.bind(cotangents, [...xs, g], undefined)
      let at = 0
      return xs.map((p) => {
        const s = A.shape(p)
        const k = s.reduce((a, b) => a * b, 1)
        at += k
        return A.reshape(A.slice(all, 0, at - k, at), s)
      })
    },
    batch: isRowwise(d) ? rowsBatch(() => self) : (A, xs, batched) => loopBatch(A, self, xs, batched),
  }
  return self
}

/**
 * A `Diff` (a layer, an activation, a loss, any composition) applied inside a program: `x` is
 * its input with the algebra's values for tensors (a layer takes `[params, input]`). A layer made
 * by `Layer.fromFunction` runs its program (every mode, nested included); any other `Diff` runs
 * in plain, forward and reverse mode, and refuses nesting with a `TypeError`. Under `vmap`, a
 * row-wise one ({@link Rowwise}) folds the batch into its rows; any other runs once per example.
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

