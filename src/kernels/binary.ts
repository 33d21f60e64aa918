/**
 * Binary elementwise kernels with NumPy broadcasting. A binary operation is one "row" function,
 * applied once per contiguous row of a {@link BroadcastPlan}; inputs of the same shape are a
 * single row. {@link mapBinary}, which calls a function per element, is the generic fallback for
 * user-defined operations; {@link selectK} picks between two arrays by a condition.
 *
 * NaN and infinities flow through as IEEE 754 and `Math` say; no kernel throws on them.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array, Shape } from '../Tensor.js'
import type { BroadcastPlan } from './broadcast.js'
import { broadcastPlan } from './broadcast.js'
import { allocate, allocateToOverwrite } from './alloc.js'
import { broadcastShapesOrThrow } from './shape.js'

type In = ReadonlyFloat64Array

/**
 * One contiguous row of a binary operation: `out[o + j] = f(a[oa + j sa], b[ob + j sb])` for `j < len`.
 *
 * @example
 * ```ts
 * // a row of the elementwise hypotenuse, for binaryBroadcast
 * const hypotRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
 *   for (let j = 0; j < len; j++) out[o + j] = Math.hypot(a[oa + j * sa]!, b[ob + j * sb]!)
 * }
 * binaryBroadcast('hypot', hypotRow, Float64Array.of(3, 6), [2], Float64Array.of(4), [1]) // [[2], [5, Math.hypot(6, 4)]]
 * ```
 * @category kernels
 */
export type BinaryRow = (
  out: Float64Array, o: number, a: In, oa: number, sa: number, b: In, ob: number, sb: number, len: number,
) => void

/**
 * Runs a row function over the broadcast of `a` (shape `as`) and `b` (shape `bs`), returning the
 * result shape and fresh data.
 *
 * @throws ShapeError naming `op` if the shapes do not broadcast.
 * @example
 * ```ts
 * binaryBroadcast('add', addRow, Float64Array.of(1, 2), [2], Float64Array.of(10), [1]) // [[2], [11, 12]]
 * ```
 * @category kernels
 */
export const binaryBroadcast = (
  op: string, row: BinaryRow, a: In, as: Shape, b: In, bs: Shape,
): readonly [Shape, Float64Array] => {
  const shape = broadcastShapesOrThrow(op, [as, bs])
  const out = allocateToOverwrite(op, shape, [as, bs]) // every row is written
  if (a.length === out.length && b.length === out.length) {
    row(out, 0, a, 0, 1, b, 0, 1, out.length)
    return [shape, out]
  }
  const p = broadcastPlan(op, shape, [as, bs])
  const oa = p.offsets[0]!
  const ob = p.offsets[1]!
  const sa = p.steps[0]!
  const sb = p.steps[1]!
  for (let r = 0; r < p.rows; r++) row(out, r * p.len, a, oa[r]!, sa, b, ob[r]!, sb, p.len)
  return [shape, out]
}

/**
 * Row of `a + b`.
 *
 * @example
 * ```ts
 * binaryBroadcast('add', addRow, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], Float64Array.of(10, 20, 30), [3]) // [[2, 3], [11, 22, 33, 14, 25, 36]]
 * ```
 * @category kernels
 */
export const addRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) out[o + j] = a[oa + j * sa]! + b[ob + j * sb]!
}

/**
 * Row of `a - b`.
 *
 * @example
 * ```ts
 * binaryBroadcast('sub', subRow, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], Float64Array.of(10, 20, 30), [3]) // [[2, 3], [-9, -18, -27, -6, -15, -24]]
 * ```
 * @category kernels
 */
export const subRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) out[o + j] = a[oa + j * sa]! - b[ob + j * sb]!
}

/**
 * Row of `a * b`.
 *
 * @example
 * ```ts
 * binaryBroadcast('mul', mulRow, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], Float64Array.of(10, 20, 30), [3]) // [[2, 3], [10, 40, 90, 40, 100, 180]]
 * ```
 * @category kernels
 */
export const mulRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) out[o + j] = a[oa + j * sa]! * b[ob + j * sb]!
}

/**
 * Row of `a / b`.
 *
 * @example
 * ```ts
 * binaryBroadcast('div', divRow, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], Float64Array.of(1, 2, 4), [3]) // [[2, 3], [1, 1, 0.75, 4, 2.5, 1.5]]
 * ```
 * @category kernels
 */
export const divRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) out[o + j] = a[oa + j * sa]! / b[ob + j * sb]!
}

/**
 * Row of `a ** b` (`Math.pow`: `0 ** 0 = 1`, NaN for a negative base and a fractional exponent).
 *
 * @example
 * ```ts
 * binaryBroadcast('pow', powRow, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], Float64Array.of(2, 1, 0), [3]) // [[2, 3], [1, 2, 1, 16, 5, 1]]
 * ```
 * @category kernels
 */
export const powRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) out[o + j] = Math.pow(a[oa + j * sa]!, b[ob + j * sb]!)
}

/**
 * Row of the elementwise maximum (NaN if either is NaN).
 *
 * @example
 * ```ts
 * binaryBroadcast('maximum', maxRow, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], Float64Array.of(3), [1]) // [[2, 3], [3, 3, 3, 4, 5, 6]]
 * ```
 * @category kernels
 */
export const maxRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) out[o + j] = Math.max(a[oa + j * sa]!, b[ob + j * sb]!)
}

/**
 * Row of the elementwise minimum (NaN if either is NaN).
 *
 * @example
 * ```ts
 * binaryBroadcast('minimum', minRow, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], Float64Array.of(3), [1]) // [[2, 3], [1, 2, 3, 3, 3, 3]]
 * ```
 * @category kernels
 */
export const minRow: BinaryRow = (out, o, a, oa, sa, b, ob, sb, len) => {
  for (let j = 0; j < len; j++) out[o + j] = Math.min(a[oa + j * sa]!, b[ob + j * sb]!)
}

/**
 * `f(a, b)` elementwise with broadcasting; one call per element, so only the fallback for
 * user-defined operations.
 *
 * @throws ShapeError naming `op` if the shapes do not broadcast.
 * @example
 * ```ts
 * mapBinary('hypot', Math.hypot, Float64Array.of(3), [1], Float64Array.of(4), [1]) // [[1], [5]]
 * ```
 * @category kernels
 */
export const mapBinary = (
  op: string, f: (x: number, y: number) => number, a: In, as: Shape, b: In, bs: Shape,
): readonly [Shape, Float64Array] =>
  binaryBroadcast(op, (out, o, a, oa, sa, b, ob, sb, len) => {
    for (let j = 0; j < len; j++) out[o + j] = f(a[oa + j * sa]!, b[ob + j * sb]!)
  }, a, as, b, bs)

/**
 * `cond ? x : y` elementwise (cond is true where non-zero, NaN counts as true), the three
 * broadcast together. Selection, not arithmetic: the value not taken never touches the result,
 * so a NaN or an infinity there cannot leak through.
 *
 * @throws ShapeError naming `where` if the shapes do not broadcast.
 * @example
 * ```ts
 * selectK(Float64Array.of(1, 0), [2], Float64Array.of(5), [1], Float64Array.of(NaN, 7), [2]) // [[2], [5, 7]]
 * ```
 * @category kernels
 */
export const selectK = (
  cond: In, cs: Shape, x: In, xs: Shape, y: In, ys: Shape,
): readonly [Shape, Float64Array] => {
  const shape = broadcastShapesOrThrow('where', [cs, xs, ys])
  const out = allocate('where', shape, [cs, xs, ys])
  const p = broadcastPlan('where', shape, [cs, xs, ys])
  const [oc, ox, oy] = p.offsets as [Int32Array, Int32Array, Int32Array]
  const [sc, sx, sy] = p.steps as [number, number, number]
  const len = p.len
  for (let r = 0; r < p.rows; r++) {
    const o = r * len
    const c0 = oc[r]!
    const x0 = ox[r]!
    const y0 = oy[r]!
    for (let j = 0; j < len; j++) {
      const c = cond[c0 + j * sc]!
      out[o + j] = c !== 0 ? x[x0 + j * sx]! : y[y0 + j * sy]!
    }
  }
  return [shape, out]
}
