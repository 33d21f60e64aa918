/**
 * `vmap`: a program written for one example, run on a batch, through every primitive's batch
 * rule; with `grad` inside, it gives per-example gradients in one pass. `vmapIn(A)` is the same
 * inside a program of algebra `A`, so calls nest (each call's batch axis belongs to its own
 * instance, and masks and labels carry the tags of the calls that batch them) and compose with
 * `grad`, `jvp` and `hvp` in either order.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape, Tensor } from '../Tensor.js'
import { batching } from './batched.js'
import type { BatchedValue } from './batched.js'
import type { Data } from './data.js'
import { exampleShape, isData, tagData } from './data.js'
import { describeValue } from './describe.js'
import { plain } from './plain.js'
import type { AtOuter, AtTensor } from './transforms.js'
import { isRecord } from './trees.js'
import type { Algebra } from './types.js'

/**
 * Where the batch axis is, as JAX's `in_axes`/`out_axes`: a number (the axis, negative counting
 * from the end) or `null` (not batched: shared by every example), for a whole value, or an array
 * or record of them matching a tree's structure down to where one applies to a whole subtree.
 *
 * @example
 * ```ts
 * import type { Program } from 'autodiff-ts'
 *
 * // params shared, inputs batched on axis 0, labels on axis 0
 * const inAxes: Program.Axes = [null, 0, 0]
 * const perLeaf: Program.Axes = [{ w: null, b: 0 }, 1]
 * ```
 * @category model
 */
export type Axes = number | null | readonly Axes[] | { readonly [key: string]: Axes }

/** What a batched position holds that is neither a leaf nor a tree: refused, for the inputs. */
type Other = (t: unknown, path: string) => void

/** `t` with every leaf (as told by `is`) mapped by `f` with its axis, from the prefix `axes`. */
const withAxes = (t: unknown, axes: Axes, is: (u: unknown) => boolean, f: (leaf: unknown, axis: number | null, path: string) => unknown, path: string, other: Other): unknown => {
  if (axes === null || typeof axes === 'number') return mapAt(t, axes, is, f, path, other)
  if (Array.isArray(axes)) {
    if (!Array.isArray(t) || t.length !== axes.length)
      throw new TypeError(`vmap: the axes of ${path} are an array of ${axes.length}, so ${path} should be an array of ${axes.length}, found ${describeValue(t)}`)
    return Object.freeze(t.map((x, i) => withAxes(x, axes[i]!, is, f, `${path}[${i}]`, other)))
  }
  const rec = axes as { readonly [key: string]: Axes }
  const keys = Object.keys(rec)
  if (!isRecord(t) || Object.keys(t).length !== keys.length || !keys.every((k) => Object.hasOwn(t, k)))
    throw new TypeError(`vmap: the axes of ${path} are a record of keys ${keys.join(', ')}, so ${path} should be one too, found ${describeValue(t)}`)
  return Object.freeze(Object.fromEntries(keys.map((k) => [k, withAxes(t[k], rec[k]!, is, f, `${path}.${k}`, other)])))
}

/** Every leaf of `t` mapped by `f` with one axis; anything else batched goes to `other`. */
const mapAt = (t: unknown, axis: number | null, is: (u: unknown) => boolean, f: (leaf: unknown, axis: number | null, path: string) => unknown, path: string, other: Other): unknown => {
  if (is(t)) return f(t, axis, path)
  if (Array.isArray(t)) return Object.freeze(t.map((x, i) => mapAt(x, axis, is, f, `${path}[${i}]`, other)))
  if (isRecord(t)) return Object.freeze(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, mapAt(v, axis, is, f, `${path}.${k}`, other)])))
  if (axis !== null) other(t, path)
  return t
}

/** A batched argument that is neither a tensor nor data (integer labels as a plain array, say). */
const notBatchable: Other = (t, path) => {
  if (t === null || t === undefined || typeof t === 'string' || typeof t === 'boolean' || typeof t === 'function') return
  throw new TypeError(
    `vmap: ${path} is batched (its in axis is not null) but holds ${describeValue(t)}: pass integer labels as Program.labels(ys), a mask as Program.mask(t), or give it the in axis null to share it`,
  )
}

const normalise = (axis: number, rank: number, what: string): number => {
  const a = axis < 0 ? axis + rank : axis
  if (!Number.isInteger(axis) || a < 0 || a >= rank) throw new ShapeError('vmap', `${what} in [${-rank}, ${rank - 1}], found ${axis}`, [])
  return a
}

/** The permutation moving axis `from` of a rank-`r` value to position `to`. */
const moving = (r: number, from: number, to: number): number[] => {
  const rest = Array.from({ length: r }, (_, i) => i).filter((i) => i !== from)
  rest.splice(to, 0, from)
  return rest
}

const moveAxis = <T>(A: Algebra<T>, x: T, from: number, to: number): T => (from === to ? x : A.transpose(x, moving(A.shape(x).length, from, to)))

/**
 * `vmapIn(A)(f, inAxes, outAxes)`: {@link vmap} inside a program of algebra `A` (another call of
 * `vmap`, a gradient's tape, forward mode...). `f` receives its own algebra and a `lift` of `A`'s
 * values into it, as for `gradIn`: an outer value used without `lift` is a type error, so the
 * two calls' batch axes cannot be confused.
 *
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * // vmap of vmap: all pairwise products x_i y_j
 * const outer = Program.vmap(<T>(A: Program.Algebra<T>) => (x: T, ys: T) =>
 *   Program.vmapIn(A)(<S>(S: Program.Algebra<S>, lift: (t: T) => S) => (y: S) => S.mul(lift(x), y))(ys), [0, null])
 * outer(tensor([1, 2]), tensor([10, 20, 30])) // [[10, 20, 30], [20, 40, 60]]
 * ```
 * @category transformations
 */
export const vmapIn =
  <T>(A: Algebra<T>) =>
  <Args extends readonly unknown[], R>(f: AtOuter<T, Args, R>, inAxes: Axes = 0, outAxes: Axes = 0) =>
  (...args: Args): R => {
    const [B, make, tag] = batching(A)
    const isLeaf = (u: unknown): boolean => A.is(u) || isData(u)
    const extents: number[] = []
    const found: string[] = []
    const lifted = withAxes(args, inAxes, isLeaf, (leaf, axis, arg) => {
      if (axis === null) return isData(leaf) ? leaf : make(leaf as T, false)
      const s: Shape = isData(leaf) ? exampleShape(leaf) : A.shape(leaf as T)
      const a = normalise(axis, s.length, `${arg}: an in axis of its shape [${s.join(', ')}]`)
      extents.push(s[a]!)
      found.push(`${s[a]} (${arg})`)
      return isData(leaf) ? tagData(leaf as Data, tag, a) : make(moveAxis(A, leaf as T, a, 0), true)
    }, 'arguments', notBatchable)
    const n = extents[0]
    if (n === undefined) throw new TypeError('vmap: at least one argument should be batched (an in axis that is not null, over a tensor, a mask or labels)')
    if (extents.some((e) => e !== n)) throw new ShapeError('vmap', `batched arguments with one batch extent, found ${found.join(', ')}`, [])
    const y = (f as unknown as (S: typeof B, lift: (t: T) => BatchedValue<T>) => (...xs: unknown[]) => unknown)(B, (t) => make(t, false))(...(lifted as unknown[]))
    let outputs = 0
    const out = withAxes(y, outAxes, B.is, (leaf, axis, path) => {
      outputs++
      const v = leaf as BatchedValue<T>
      if (axis === null) {
        if (v.batched) throw new TypeError(`vmap: ${path} has the out axis null but depends on the batch`)
        return v.value
      }
      const full = v.batched ? v.value : A.broadcastTo(v.value, [n, ...A.shape(v.value)])
      return moveAxis(A, full, 0, normalise(axis, A.shape(full).length, `${path}: an out axis of its shape [${A.shape(full).join(', ')}]`))
    }, 'the output', () => undefined)
    if (outputs === 0) throw new TypeError(`vmap: the program should return a tensor of its algebra (or a tree of them), found ${describeValue(y)}`)
    return out as R
  }

/**
 * Vectorises a program over a batch axis, as JAX's `vmap`: the program sees one example, and
 * every output carries the batch axis. `inAxes` says where each argument's batch axis is (`null`:
 * shared by every example; default `0` for all), `outAxes` where to put it in the outputs
 * (default `0`; `null` for an output that does not depend on the batch). Integer labels and
 * masks are batched too, given as `Program.labels(ys)` and `Program.mask(t)`. Calls nest through
 * {@link vmapIn}, and compose with `gradIn`, `jvpIn` and `hvpIn` in either order.
 *
 * @throws ShapeError if the batched arguments disagree on the batch extent, or an axis is out of
 *   range; TypeError if nothing is batched, or a batched argument is a plain number or array.
 * @example
 * ```ts
 * import { Program, tensor } from 'autodiff-ts'
 *
 * // per-example gradients of a squared error, w shared and x, y batched
 * const loss = <T>(A: Program.Algebra<T>) => (w: T, x: T, y: T) => A.sum(A.square(A.sub(A.matmul(x, w), y)))
 * const perExample = Program.vmap(<T>(A: Program.Algebra<T>) => (w: T, x: T, y: T) => Program.gradIn(A)(loss)(w, x, y), [null, 0, 0])
 * perExample(tensor([1, 1]), tensor([[1, 0], [0, 2]]), tensor([0, 0])) // [[2, 0], [0, 8]]
 * // the batch along axis 1 of x, and along axis 1 of the output
 * Program.vmap(<T>(A: Program.Algebra<T>) => (x: T) => A.scale(x, 2), 1, 1)(tensor([[1, 2, 3]])) // [[2, 4, 6]]
 * ```
 * @category transformations
 */
export const vmap = <Args extends readonly unknown[], R>(f: AtTensor<Args, R>, inAxes: Axes = 0, outAxes: Axes = 0) =>
  vmapIn(plain)(f as unknown as AtOuter<Tensor, Args, R>, inAxes, outAxes)
