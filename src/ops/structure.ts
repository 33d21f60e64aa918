/**
 * Structural primitives: they move, copy or sum elements without other arithmetic, so each is
 * linear and its pullback is its transpose: `reshape`, `transpose`, `broadcastTo`, `concat`,
 * `slice` and `index`. All are data-last factories of their parameters, which they check and
 * normalise; their rules are the rule table's entries (`index` is `slice` then `reshape`).
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape, Tensor } from '../Tensor.js'
import { assertValidShape, broadcastsTo, normaliseAxis, shapeEquals, shapeSize } from '../kernels/shape.js'
import {
  broadcastTo as broadcastPrim, concat as concatPrim, reshape as reshapePrim, slice as slicePrim, transpose as transposePrim,
} from '../program/structure.js'
import { chainStep, fromUnaryChain, fromUnaryPrim, plainRules } from './fromTable.js'
import type { PrimitiveDiff, UnaryOp } from './Primitive.js'
import { primitive } from './Primitive.js'

const resolveShape = (x: Shape, target: Shape): Shape => {
  const holes = target.filter((d) => d === -1).length
  if (holes > 1) throw new ShapeError('reshape', 'at most one -1 in the target shape', [x, target])
  const known = target.filter((d) => d !== -1)
  assertValidShape('reshape', known)
  const size = shapeSize(x)
  if (holes === 1) {
    const rest = shapeSize(known)
    if (rest === 0 || size % rest !== 0)
      throw new ShapeError('reshape', 'a target shape whose -1 can be filled to the same number of elements', [x, target])
    return target.map((d) => (d === -1 ? size / rest : d))
  }
  if (shapeSize(target) !== size) throw new ShapeError('reshape', 'the same number of elements', [x, target])
  return target
}

/**
 * The same elements in row-major order under another shape; one dimension may be `-1`, inferred.
 * The result has memory of its own: writing into it changes no other tensor.
 *
 * @throws ShapeError naming `reshape` and both shapes if the sizes differ.
 * @example
 * ```ts
 * import { ops, tensor, zeros } from 'autodiff-ts'
 *
 * ops.reshape([3, 2]).apply(tensor([[1, 2, 3], [4, 5, 6]])) // tensor([[1, 2], [3, 4], [5, 6]])
 * ops.reshape([-1]).apply(zeros([2, 3])).shape // [6]
 * ```
 * @category structure
 */
export const reshape = (shape: Shape): UnaryOp => fromUnaryPrim(reshapePrim, (x) => resolveShape(x.shape, shape))

const checkPerm = (shape: Shape, perm: readonly number[]): void => {
  const r = shape.length
  const seen = new Set(perm)
  if (perm.length !== r || seen.size !== r || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= r))
    throw new ShapeError('transpose', `a permutation of the axes 0..${r - 1}, got [${perm.join(', ')}]`, [shape])
}

/**
 * Permutes the axes: output axis `d` is input axis `perm[d]` (NumPy's `transpose`); without
 * `perm` the axes are reversed (a matrix transpose for rank 2). Pullback: the inverse permutation.
 *
 * @throws ShapeError naming `transpose` if `perm` is not a permutation of the axes.
 * @example
 * ```ts
 * import { ops, tensor, zeros } from 'autodiff-ts'
 *
 * ops.transpose().apply(tensor([[1, 2, 3]])) // tensor([[1], [2], [3]])
 * ops.transpose([1, 0, 2]).apply(zeros([2, 3, 4])).shape // [3, 2, 4]
 * ```
 * @category structure
 */
export const transpose = (perm?: readonly number[]): UnaryOp =>
  fromUnaryPrim(transposePrim, (x) => {
    const p = perm ?? x.shape.map((_, i) => x.shape.length - 1 - i)
    checkPerm(x.shape, p)
    return p
  })

/**
 * Broadcasts to `shape` by NumPy's rules, materialised. Pullback: the cotangent summed over
 * the broadcast axes ("unbroadcast").
 *
 * @throws ShapeError naming `broadcastTo` and both shapes if the input does not broadcast to `shape`.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.broadcastTo([2, 2]).apply(tensor([1, 2])) // tensor([[1, 2], [1, 2]])
 * ```
 * @category structure
 */
export const broadcastTo = (shape: Shape): UnaryOp => {
  assertValidShape('broadcastTo', shape)
  return fromUnaryPrim(broadcastPrim, (x) => {
    if (!broadcastsTo(x.shape, shape)) throw new ShapeError('broadcastTo', 'an input that broadcasts to the target (NumPy rules)', [x.shape, shape])
    return shape
  })
}

/**
 * Options of {@link concat}.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const along1: ops.ConcatOptions = { axis: 1 }
 * ops.concat(along1).apply([tensor([[1]]), tensor([[2, 3]])]) // [[1, 2, 3]]
 * ```
 * @category structure
 */
export interface ConcatOptions {
  /** The axis to join along; negative counts from the end. Default 0. */
  readonly axis?: number
}

/**
 * Joins tensors along an axis; all must have the same rank and agree on every other axis.
 * A `Diff<readonly Tensor[], Tensor>`; its pullback slices the cotangent back into pieces.
 *
 * @throws ShapeError naming `concat` and every shape if they do not fit together.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.concat({ axis: 1 }).apply([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])]) // tensor([[1, 3, 4], [2, 5, 6]])
 * ```
 * @category structure
 */
export const concat = (options: ConcatOptions = {}): PrimitiveDiff<readonly Tensor[], Tensor> => {
  const check = (xs: readonly Tensor[]): number => {
    const shapes = xs.map((x) => x.shape)
    if (xs.length === 0) throw new ShapeError('concat', 'at least one tensor', [])
    const first = shapes[0]!
    if (first.length === 0) throw new ShapeError('concat', 'tensors of rank at least 1', shapes)
    const axis = normaliseAxis('concat', options.axis ?? 0, first)
    for (const s of shapes)
      if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i]))
        throw new ShapeError('concat', `equal ranks and equal extents on every axis but ${axis}`, shapes)
    return axis
  }
  const { jvp, vjp } = plainRules(concatPrim)
  const all = (xs: readonly Tensor[]) => xs.map(() => true)
  return primitive<readonly Tensor[], Tensor>({
    name: 'concat',
    value: (xs) => concatPrim.value(xs, check(xs)),
    jvp: (xs, y, dxs) => {
      if (dxs.length !== xs.length || dxs.some((d, i) => !shapeEquals(d.shape, xs[i]!.shape)))
        throw new ShapeError('concat', 'tangents of the same shapes as the inputs', dxs.map((d) => d.shape))
      return jvp(xs, y, dxs, check(xs))
    },
    pullback: (xs, y, g) => {
      if (!shapeEquals(g.shape, y.shape)) throw new ShapeError('concat', 'a cotangent of the output shape', [y.shape, g.shape])
      return vjp(xs, y, g, check(xs), all(xs)) as Tensor[]
    },
    conventions: concatPrim.conventions ?? [],
  })
}

/**
 * Options of {@link slice}: the half-open range `start .. end` along `axis`; negative
 * positions count from the end, as in `Array.prototype.slice`, but out-of-range positions are an
 * error rather than clamped.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const lastTwo: ops.SliceOptions = { start: -2 }
 * ops.slice(lastTwo).apply(tensor([1, 2, 3])) // [2, 3]
 * ```
 * @category structure
 */
export interface SliceOptions {
  /** The axis; default 0. */
  readonly axis?: number
  /** First position kept; default 0. */
  readonly start?: number
  /** Position after the last kept; default the extent of the axis. */
  readonly end?: number
}

const bounds = (op: string, shape: Shape, o: SliceOptions): readonly [number, number, number] => {
  const axis = normaliseAxis(op, o.axis ?? 0, shape)
  const n = shape[axis]!
  const norm = (i: number) => (i < 0 ? i + n : i)
  const start = norm(o.start ?? 0)
  const end = norm(o.end ?? n)
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end)
    throw new ShapeError(op, `0 <= start <= end <= ${n} along axis ${axis}, got start ${o.start ?? 0} and end ${o.end ?? n}`, [shape])
  return [axis, start, end]
}

/**
 * The elements `start .. end` (end excluded) along one axis; the rank is kept. Pullback: the
 * cotangent placed back in zeros.
 *
 * @throws ShapeError naming `slice` if the axis or the range is out of bounds.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.slice({ axis: 1, start: 1 }).apply(tensor([[1, 2, 3], [4, 5, 6]])) // tensor([[2, 3], [5, 6]])
 * ops.slice({ start: -1 }).apply(tensor([1, 2, 3])) // tensor([3])
 * ```
 * @category structure
 */
export const slice = (options: SliceOptions): UnaryOp =>
  fromUnaryPrim(slicePrim, (x) => {
    const [axis, start, end] = bounds('slice', x.shape, options)
    return { axis, start, end }
  })

/**
 * Options of {@link index}.
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const secondColumn: ops.IndexOptions = { axis: 1, at: 1 }
 * ops.index(secondColumn).apply(tensor([[1, 2], [3, 4]])) // [2, 4]
 * ```
 * @category structure
 */
export interface IndexOptions {
  /** The axis; default 0. */
  readonly axis?: number
  /** The position along it; negative counts from the end. */
  readonly at: number
}

/**
 * The sub-tensor at one position along an axis, which is dropped (as `x[i]` in NumPy for axis 0).
 * Pullback: the cotangent placed back in zeros.
 *
 * @throws ShapeError naming `index` if the axis or the position is out of bounds.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.index({ at: 1 }).apply(tensor([[1, 2], [3, 4]])) // tensor([3, 4])
 * ops.index({ axis: 1, at: -1 }).apply(tensor([[1, 2], [3, 4]])) // tensor([2, 4])
 * ```
 * @category structure
 */
export const index = (options: IndexOptions): UnaryOp => {
  const range = (shape: Shape): readonly [number, number] => {
    const axis = normaliseAxis('index', options.axis ?? 0, shape)
    const n = shape[axis]!
    const i = options.at < 0 ? options.at + n : options.at
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new ShapeError('index', `a position in [${-n}, ${n - 1}] along axis ${axis}, got ${options.at}`, [shape])
    return [axis, i]
  }
  const at = (x: Tensor) => {
    const [axis, i] = range(x.shape)
    return { axis, start: i, end: i + 1 }
  }
  // x[i] is the slice i..i+1, its axis then dropped by a reshape
  return fromUnaryChain('index', [
    chainStep(slicePrim, at),
    chainStep(reshapePrim, (s) => s.shape.filter((_, d) => d !== normaliseAxis('index', options.axis ?? 0, s.shape))),
  ])
}

