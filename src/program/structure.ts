/**
 * The structural primitives of the tensor algebra (linear maps, so each one's JVP is itself and
 * its pullback its transpose), the reductions, and log-sum-exp; each with its batch rule. Axes in
 * parameters are already normalised (non-negative, for one example) by the algebra.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { broadcastData, sumToShape } from '../kernels/broadcast.js'
import { concatAxis, padAxis, sliceAxis } from '../kernels/layout.js'
import { logSumExpAxis, logSumExpBackAxis, sumAll, sumAxis } from '../kernels/reduce.js'
import { permute } from '../kernels/transpose.js'
import { allBatched, alignBatched } from './batching.js'
import { uniform } from '../ops/uniform.js'
import type { Algebra, Prim } from './types.js'

const shift = (axes: readonly number[]): number[] => axes.map((a) => a + 1)

/** Permutes the axes. */
export const transpose: Prim<readonly number[]> = {
  name: 'transpose',
  value: ([x], perm) => {
    const [s, d] = permute(x!.data, x!.shape, perm)
    return wrap(s, d)
  },
  jvp: (A, _x, _y, [dx], perm) => A.transpose(dx!, perm),
  vjp: (A, _x, _y, g, perm) => {
    const inv: number[] = []
    perm.forEach((p, i) => (inv[p] = i))
    return [A.transpose(g, inv)]
  },
  batch: (A, [x], _b, perm) => A.bind(transpose, [x!], [0, ...shift(perm)]),
}

/** The same elements under another shape of the same size (resolved by the algebra), in memory of their own. */
export const reshape: Prim<Shape> = {
  name: 'reshape',
  value: ([x], shape) => wrap(shape, x!.data.slice()),
  jvp: (A, _x, _y, [dx], shape) => A.reshape(dx!, shape),
  vjp: (A, [x], _y, g) => [A.reshape(g, A.shape(x!))],
  batch: (A, [x], _b, shape) => A.bind(reshape, [x!], [A.shape(x!)[0]!, ...shape]),
}

/** Broadcasts to `shape` (materialised). */
export const broadcastTo: Prim<Shape> = {
  name: 'broadcastTo',
  value: ([x], shape) => wrap(shape, broadcastData(x!.data, x!.shape, shape)),
  jvp: (A, _x, _y, [dx], shape) => A.broadcastTo(dx!, shape),
  vjp: (A, [x], _y, g) => [A.sumTo(g, A.shape(x!))],
  batch: (A, [x], _b, shape) => {
    const [y] = alignBatched(A, [x!], [true], shape.length)
    return A.bind(broadcastTo, [y!], [A.shape(x!)[0]!, ...shape])
  },
}

/** Sums the broadcast axes away, down to `shape`: the transpose of {@link broadcastTo}. */
export const sumTo: Prim<Shape> = {
  name: 'sumTo',
  value: ([x], shape) => wrap(shape, sumToShape(x!.data, x!.shape, shape)),
  jvp: (A, _x, _y, [dx], shape) => A.sumTo(dx!, shape),
  vjp: (A, [x], _y, g) => [A.broadcastTo(g, A.shape(x!))],
  batch: (A, [x], _b, shape) => {
    const s = A.shape(x!)
    const n = s[0]!
    const kept: Shape = [n, ...Array<number>(s.length - 1 - shape.length).fill(1), ...shape]
    return A.reshape(A.bind(sumTo, [x!], kept), [n, ...shape])
  },
}

/** Which axes a sum reduces (normalised, ascending) and whether it keeps them. */
export interface SumParams {
  /** The axes, ascending and non-negative. */
  readonly axes: readonly number[]
  /** Keep them with extent 1. */
  readonly keepDims: boolean
}

const keptShape = (shape: Shape, axes: readonly number[]): Shape => shape.map((d, i) => (axes.includes(i) ? 1 : d))

/** The sum along axes. */
export const sum: Prim<SumParams> = {
  name: 'sum',
  value: ([x], { axes, keepDims }) => {
    const all = axes.length === x!.shape.length
    let data = x!.data as Float64Array
    let shape = x!.shape
    if (all && shape.length > 0) [data, shape] = [Float64Array.of(sumAll(data)), []]
    else
      for (const a of [...axes].reverse()) {
        data = sumAxis(data, shape, a)
        shape = shape.filter((_, i) => i !== a)
      }
    return wrap(keepDims ? keptShape(x!.shape, axes) : shape, data)
  },
  jvp: (A, _x, _y, [dx], p) => A.sum(dx!, p),
  vjp: (A, [x], _y, g, { axes }) => {
    const s = A.shape(x!)
    return [A.broadcastTo(A.reshape(g, keptShape(s, axes)), s)]
  },
  batch: (A, [x], _b, { axes, keepDims }) => A.bind(sum, [x!], { axes: shift(axes), keepDims }),
  // a cotangent of one element goes back as a uniform tensor (its value, not its data)
  fused: {
    vjp: ([x], _y, g, { axes }) =>
      g.data.length === 1
        ? [uniform(x!.shape, g.data[0]!)]
        : [wrap(x!.shape, broadcastData(g.data, keptShape(x!.shape, axes), x!.shape))],
  },
}

/** `exp(x - y)`, the softmax weights of a log-sum-exp `y`; 0 where `x = -Infinity` (never `exp(NaN)` on an axis of all `-Infinity`). */
const weights = <T>(A: Algebra<T>, x: T, y: T): T =>
  A.exp(A.where(A.compare('ne', x, A.constant(-Infinity)), A.sub(x, y), A.constant(-Infinity)))

/** `log(sum(exp(x)))` along `axis`, kept with extent 1; stable (the maximum is subtracted first). */
export const logSumExp: Prim<number> = {
  name: 'logSumExp',
  value: ([x], axis) => wrap(keptShape(x!.shape, [axis]), logSumExpAxis(x!.data, x!.shape, axis)),
  // the softmax weights exp(x - y), y broadcast along the axis
  jvp: (A, [x], y, [dx], axis) => A.sum(A.mul(dx!, weights(A, x!, y)), { axes: [axis], keepDims: true }),
  vjp: (A, [x], y, g) => [A.mul(g, weights(A, x!, y))],
  batch: (A, [x], _b, axis) => A.bind(logSumExp, [x!], axis + 1),
  conventions: [{ at: 'an axis of all -Infinity', rule: 'value -Infinity, gradient 0 (the weight of a -Infinity element is 0)' }],
  fused: { vjp: ([x], y, g, axis) => [wrap(x!.shape, logSumExpBackAxis(x!.data, x!.shape, axis, y.data, g.data))] },
}

/** Where a slice or a padding sits along one axis. */
export interface Span {
  /** The axis (non-negative). */
  readonly axis: number
  /** The first position. */
  readonly start: number
  /** Positions after the last (for a slice), or the padded extent (for a pad). */
  readonly end: number
}

/** `x[start:end]` along `axis`. */
export const slice: Prim<Span> = {
  name: 'slice',
  value: ([x], { axis, start, end }) => {
    const n = x!.shape[axis]
    if (n === undefined || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end)
      throw new ShapeError('slice', `0 <= start <= end <= extent along axis ${axis}, got start ${start} and end ${end}`, [x!.shape])
    return wrap(x!.shape.map((d, i) => (i === axis ? end - start : d)), sliceAxis(x!.data, x!.shape, axis, start, end))
  },
  jvp: (A, _x, _y, [dx], s) => A.bind(slice, [dx!], s),
  vjp: (A, [x], _y, g, { axis, start }) => [A.bind(pad, [g], { axis, start, end: A.shape(x!)[axis]! })],
  batch: (A, [x], _b, s) => A.bind(slice, [x!], { ...s, axis: s.axis + 1 }),
}

/** Zeros around `x` along `axis`: `x` at `start`, the axis `end` long; the transpose of a slice. */
export const pad: Prim<Span> = {
  name: 'pad',
  value: ([x], { axis, start, end }) => wrap(x!.shape.map((d, i) => (i === axis ? end : d)), padAxis(x!.data, x!.shape, axis, start, end)),
  jvp: (A, _x, _y, [dx], s) => A.bind(pad, [dx!], s),
  vjp: (A, [x], _y, g, { axis, start }) => [A.bind(slice, [g], { axis, start, end: start + A.shape(x!)[axis]! })],
  batch: (A, [x], _b, s) => A.bind(pad, [x!], { ...s, axis: s.axis + 1 }),
}

/** Joins along `axis`. */
export const concat: Prim<number> = {
  name: 'concat',
  value: (xs, axis) => {
    const first = xs[0]!.shape
    for (const x of xs)
      if (x.shape.length !== first.length || x.shape.some((d, i) => i !== axis && d !== first[i]))
        throw new ShapeError('concat', `equal ranks and equal extents on every axis but ${axis}`, xs.map((t) => t.shape))
    const shape = first.map((d, i) => (i === axis ? xs.reduce((s, x) => s + x.shape[axis]!, 0) : d))
    return wrap(shape, concatAxis(xs.map((x) => x.data), xs.map((x) => x.shape), axis))
  },
  jvp: (A, xs, _y, ts, axis) =>
    A.bind(concat, xs.map((x, i) => ts[i] ?? A.broadcastTo(A.constant(0), A.shape(x))), axis),
  vjp: (A, xs, _y, g, axis, wanted) => {
    let at = 0
    return xs.map((x, i) => {
      const n = A.shape(x)[axis]!
      at += n
      return wanted[i] ? A.bind(slice, [g], { axis, start: at - n, end: at }) : undefined
    })
  },
  batch: (A, xs, batched, axis) => A.bind(concat, allBatched(A, xs, batched), axis + 1),
}

