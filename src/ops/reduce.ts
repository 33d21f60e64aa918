/**
 * Reductions: `sum`, `mean` and the stable `logSumExp`, over all elements or along one axis,
 * optionally keeping the reduced axis with extent 1 (`keepdims`, as NumPy). They are factories
 * of their options (data-last): `sum()`, `sum({ axis: 1 })`, `logSumExp({ axis: -1, keepdims: true })`.
 * Their rules are the rule table's `sum` and `logSumExp` entries (`mean` chains `sum` and `scale`).
 *
 * @packageDocumentation
 */
import type { Shape, Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { scaleK } from '../kernels/unary.js'
import { normaliseAxis } from '../kernels/shape.js'
import { unaryPrims } from '../program/prims.js'
import type { SumParams } from '../program/structure.js'
import { logSumExp as lsePrim, sum as sumPrim } from '../program/structure.js'
import { fromUnaryPrim, plainRules } from './fromTable.js'
import type { UnaryOp } from './Primitive.js'
import { unary } from './Primitive.js'

/**
 * Options of a reduction: `axis` (negative counts from the end; absent means every axis) and
 * `keepdims` (keep reduced axes with extent 1; default false).
 *
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * const rows: ops.ReduceOptions = { axis: -1, keepdims: true }
 * ops.sum(rows).apply(tensor([[1, 2], [3, 4]])) // [[3], [7]]
 * ```
 * @category reductions
 */
export interface ReduceOptions {
  /** The axis to reduce; all axes when absent. */
  readonly axis?: number
  /** Keep the reduced axis (axes) with extent 1. Default `false`. */
  readonly keepdims?: boolean
}


/** The table's sum parameters of a reduction's options: one axis (normalised), or every axis. */
const sumParams = (op: string, shape: Shape, options: ReduceOptions): SumParams => ({
  axes: options.axis === undefined ? shape.map((_, i) => i) : [normaliseAxis(op, options.axis, shape)],
  keepDims: options.keepdims ?? false,
})

/** The number of elements each output element of a reduction sums. */
const count = (shape: Shape, { axes }: SumParams): number => axes.reduce((n, a) => n * shape[a]!, 1)

/**
 * The sum of the elements, along `axis` or over all. Linear: its pullback broadcasts the
 * cotangent back over the reduced axis.
 *
 * @throws ShapeError naming `sum` if the axis is out of range.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.sum().apply(tensor([[1, 2], [3, 4]])) // 10
 * ops.sum({ axis: 1 }).apply(tensor([[1, 2], [3, 4]])) // [3, 7]
 * ops.sum({ axis: 0, keepdims: true }).apply(tensor([[1, 2], [3, 4]])) // [[4, 6]]
 * ```
 * @category reductions
 */
export const sum = (options: ReduceOptions = {}): UnaryOp => fromUnaryPrim(sumPrim, (x) => sumParams('sum', x.shape, options))

/**
 * The mean of the elements, along `axis` or over all (NaN for an empty reduction, 0 / 0).
 *
 * @throws ShapeError naming `mean` if the axis is out of range.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.mean().apply(tensor([1, 2, 3, 6])) // 3
 * ops.mean({ axis: 0 }).apply(tensor([[1, 2], [3, 4]])) // [2, 3]
 * ```
 * @category reductions
 */
export const mean = (options: ReduceOptions = {}): UnaryOp => {
  const sumRules = plainRules(sumPrim)
  const scaleRules = plainRules(unaryPrims.scale)
  const at = (x: Tensor): readonly [SumParams, number] => {
    const p = sumParams('mean', x.shape, options)
    return [p, 1 / count(x.shape, p)]
  }
  // (1 / n) sum(x): the table's sum and scale entries chained; both are linear, so neither rule
  // reads its arguments' values or its output, and the mean's own stand in for them
  return unary({
    name: 'mean',
    value: (x) => {
      const [p, c] = at(x)
      const s = sumPrim.value([x], p)
      return wrap(s.shape, scaleK(s.data, c))
    },
    jvp: (x, y, dx) => {
      const [p, c] = at(x)
      return scaleRules.jvp([y], y, [sumRules.jvp([x], y, [dx], p)], c)
    },
    pullback: (x, y, g) => {
      const [p, c] = at(x)
      return sumRules.vjp([x], y, scaleRules.vjp([y], y, g, c, [true])[0]!, p, [true])[0]!
    },
    conventions: [],
  })
}

/**
 * `log(sum(exp(x)))` along `axis` (or over all), computed stably as
 * `m + log(sum(exp(x - m)))` with `m` the maximum: no overflow at 1000, no underflow at -1000.
 * Its derivative is the softmax `exp(x - lse)`. Conventions: an axis of all `-Infinity` gives
 * `-Infinity` and a zero gradient (not NaN); a `+Infinity` gives `+Infinity`.
 *
 * @throws ShapeError naming `logSumExp` if the axis is out of range.
 * @example
 * ```ts
 * import { ops, tensor } from 'autodiff-ts'
 *
 * ops.logSumExp().apply(tensor([1000, 1000])) // 1000 + Math.LN2
 * ops.logSumExp({ axis: -1 }).vjp(tensor([[0, 0]]))[1](tensor([1])) // [[0.5, 0.5]]
 * ```
 * @category reductions
 */
export const logSumExp = (options: ReduceOptions = {}): UnaryOp => {
  const { jvp, vjp } = plainRules(lsePrim)
  // over every axis: the table's entry along the one axis of the flattened input
  const plan = (x: Tensor): readonly [Shape, number, Shape] => {
    const keep = options.keepdims ?? false
    if (options.axis === undefined) return [[x.shape.reduce((a, b) => a * b, 1)], 0, keep ? x.shape.map(() => 1) : []]
    const axis = normaliseAxis('logSumExp', options.axis, x.shape)
    return [x.shape, axis, x.shape.filter((_, i) => keep || i !== axis).map((d, i) => (keep && i === axis ? 1 : d))]
  }
  const kept = (flat: Shape, axis: number): Shape => flat.map((d, i) => (i === axis ? 1 : d))
  return unary({
    name: 'logSumExp',
    value: (x) => {
      const [flat, axis, out] = plan(x)
      return wrap(out, lsePrim.value([wrap(flat, x.data as Float64Array)], axis).data as Float64Array)
    },
    jvp: (x, y, dx) => {
      const [flat, axis, out] = plan(x)
      const yk = wrap(kept(flat, axis), y.data as Float64Array)
      return wrap(out, jvp([wrap(flat, x.data as Float64Array)], yk, [wrap(flat, dx.data as Float64Array)], axis).data as Float64Array)
    },
    pullback: (x, y, g) => {
      const [flat, axis] = plan(x)
      const [yk, gk] = [y, g].map((t) => wrap(kept(flat, axis), t.data as Float64Array))
      return wrap(x.shape, vjp([wrap(flat, x.data as Float64Array)], yk!, gk!, axis, [true])[0]!.data as Float64Array)
    },
    conventions: lsePrim.conventions ?? [],
  })
}
