/**
 * Reductions: `sum`, `mean` and the stable `logSumExp`, over all elements or along one axis,
 * optionally keeping the reduced axis with extent 1 (`keepdims`, as NumPy). They are factories
 * of their options (data-last): `sum()`, `sum({ axis: 1 })`, `logSumExp({ axis: -1, keepdims: true })`.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array, Shape, Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { broadcastData } from '../kernels/broadcast.js'
import { mulRow } from '../kernels/binary.js'
import { logSumExpAxis, logSumExpBackAxis, sumAll, sumAxis } from '../kernels/reduce.js'
import { normaliseAxis } from '../kernels/shape.js'
import type { UnaryOp } from './Primitive.js'
import { unary } from './Primitive.js'
import { uniform, uniformValue } from './uniform.js'

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


interface Plan {
  /** The axis within `flat` that is reduced. */
  readonly axis: number
  /** The input shape as seen by the kernel (the input itself, or `[size]` for all axes). */
  readonly flat: Shape
  /** The output shape. */
  readonly out: Shape
  /** The output shape with the reduced axes kept as 1, to broadcast back. */
  readonly kept: Shape
  /** The number of elements reduced into each output element. */
  readonly count: number
}

const plan = (op: string, shape: Shape, options: ReduceOptions): Plan => {
  const keepdims = options.keepdims ?? false
  if (options.axis === undefined) {
    const size = shape.reduce((a, b) => a * b, 1)
    const kept = shape.map(() => 1)
    return { axis: 0, flat: [size], out: keepdims ? kept : [], kept, count: size }
  }
  const axis = normaliseAxis(op, options.axis, shape)
  const kept = shape.map((d, i) => (i === axis ? 1 : d))
  return { axis, flat: shape, out: keepdims ? kept : shape.filter((_, i) => i !== axis), kept, count: shape[axis]! }
}

// The sum along the plan, times c (1 for sum, 1 / count for mean).
const sumData = (data: ReadonlyFloat64Array, p: Plan, c: number): Float64Array => {
  const d = p.flat.length === 1 ? Float64Array.of(sumAll(data)) : sumAxis(data, p.flat, p.axis)
  if (c !== 1) for (let i = 0; i < d.length; i++) d[i] = d[i]! * c
  return d
}

// The cotangent broadcast back over the reduced axes, times c; a single value stays symbolic.
const spread = (g: Tensor, p: Plan, to: Shape, c: number): Tensor => {
  if (g.data.length === 1) return uniform(to, (uniformValue(g) ?? g.data[0]!) * c)
  const d = broadcastData(g.data, p.kept, to)
  if (c !== 1) for (let i = 0; i < d.length; i++) d[i] = d[i]! * c
  return wrap(to, d)
}

// sum and mean: the sum times scale(plan), linear, so the JVP is the same map of the tangent and
// the pullback spreads the cotangent back times the same scale.
const scaledSum = (name: string, options: ReduceOptions, scale: (p: Plan) => number): UnaryOp =>
  unary({
    name,
    value: (x) => {
      const p = plan(name, x.shape, options)
      return wrap(p.out, sumData(x.data, p, scale(p)))
    },
    jvp: (x, _y, dx) => {
      const p = plan(name, x.shape, options)
      return wrap(p.out, sumData(dx.data, p, scale(p)))
    },
    pullback: (x, _y, g) => {
      const p = plan(name, x.shape, options)
      return spread(g, p, x.shape, scale(p))
    },
    conventions: [],
  })

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
export const sum = (options: ReduceOptions = {}): UnaryOp => scaledSum('sum', options, () => 1)

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
export const mean = (options: ReduceOptions = {}): UnaryOp => scaledSum('mean', options, (p) => 1 / p.count)

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
export const logSumExp = (options: ReduceOptions = {}): UnaryOp =>
  unary({
    name: 'logSumExp',
    value: (x) => {
      const p = plan('logSumExp', x.shape, options)
      return wrap(p.out, logSumExpAxis(x.data, p.flat, p.axis))
    },
    jvp: (x, y, dx) => {
      const p = plan('logSumExp', x.shape, options)
      const w = logSumExpBackAxis(x.data, p.flat, p.axis, y.data, new Float64Array(y.data.length).fill(1))
      mulRow(w, 0, w, 0, 1, dx.data, 0, 1, w.length)
      return wrap(p.out, sumData(w, p, 1))
    },
    pullback: (x, y, g) => {
      const p = plan('logSumExp', x.shape, options)
      return wrap(x.shape, logSumExpBackAxis(x.data, p.flat, p.axis, y.data, g.data))
    },
    conventions: [
      { at: 'an axis of all -Infinity', rule: 'value -Infinity, gradient 0 (the weight of a -Infinity element is 0)' },
    ],
  })
