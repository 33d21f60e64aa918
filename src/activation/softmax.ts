/**
 * Softmax and log-softmax along the last axis, shifted by the row maximum so that nothing
 * overflows: `softmax([1000, 0, -1000])` is exactly `[1, 0, 0]`.
 *
 * @packageDocumentation
 */
import { make, type Diff } from '../Diff.js'
import { sealed } from '../diff/sealed.js'
import type { Floating, VectorFn } from '../Floating.js'
import { shapeEquals } from '../kernels/shape.js'
import { ShapeError } from '../ShapeError.js'
import { wrap, type ReadonlyFloat64Array, type Shape, type Tensor } from '../Tensor.js'

/**
 * An activation that maps each row (the last axis) of a tensor to a row of the same length, such
 * as softmax: the generic definition on one row, a plain function on one row, and the
 * `Diff<Tensor, Tensor>` applying it to every row with a fused kernel.
 *
 * @example
 * ```ts
 * import { Activation } from 'autodiff-ts'
 *
 * Activation.softmax.value([0, Math.log(3)]) // [0.25, 0.75] (to rounding)
 * ```
 *
 * @category model
 */
export interface RowActivation {
  /** A name for display. */
  readonly name: string
  /** The definition on one row, written once for every `Floating`. */
  readonly vector: VectorFn
  /** The function on one row of plain numbers. */
  readonly value: (row: readonly number[]) => readonly number[]
  /** The function on every row (the last axis) of a tensor of rank at least 1. */
  readonly diff: Diff<Tensor, Tensor>
}

// ---------------------------------------------------------------------------------------------
// Row kernels, shared with the losses

/**
 * The largest of `x[o .. o + m)`; NaN if any of them is NaN; `-Infinity` for an empty row.
 *
 * @example
 * ```ts
 * rowMax(Float64Array.of(1, 5, 2), 0, 3) // 5
 * ```
 *
 * @category kernels
 */
export const rowMax = (x: ReadonlyFloat64Array, o: number, m: number): number => {
  let mx = -Infinity
  for (let j = o; j < o + m; j++) {
    const v = x[j]!
    if (v > mx) mx = v
    else if (v !== v) return NaN
  }
  return mx
}

/**
 * `x - mx`, except that for `mx = +Infinity` (the limit of a row whose largest entries grow
 * without bound) the infinite entries are 0 and the others `-Infinity`.
 *
 * @example
 * ```ts
 * shifted(3, 5) // -2
 * shifted(Infinity, Infinity) // 0
 * ```
 *
 * @category kernels
 */
export const shifted = (x: number, mx: number): number =>
  mx === Infinity ? (x === Infinity ? 0 : -Infinity) : x - mx

/**
 * Writes `exp(x[j] - mx)` into `e[j]` for `j` in `[o, o + m)` (through {@link shifted}) and
 * returns their sum, which is at least 1 when `mx` is the row maximum.
 *
 * @example
 * ```ts
 * const e = new Float64Array(2)
 * expShiftedSum(Float64Array.of(0, 0), 0, 2, 0, e) // 2, e = [1, 1]
 * ```
 *
 * @category kernels
 */
export const expShiftedSum = (x: ReadonlyFloat64Array, o: number, m: number, mx: number, e: Float64Array): number => {
  let s = 0
  for (let j = o; j < o + m; j++) {
    const v = Math.exp(shifted(x[j]!, mx))
    e[j] = v
    s += v
  }
  return s
}

/**
 * The number of rows and the row length of a tensor seen as rows along its last axis.
 *
 * @throws ShapeError naming `op` for a rank-0 tensor.
 * @example
 * ```ts
 * rows('softmax', [2, 3, 4]) // [6, 4]
 * ```
 *
 * @category kernels
 */
export const rows = (op: string, shape: Shape): readonly [number, number] => {
  if (shape.length === 0) throw new ShapeError(op, 'a tensor of rank at least 1 (it works along the last axis)', [shape])
  let n = 1
  for (let i = 0; i < shape.length - 1; i++) n *= shape[i]!
  return [n, shape[shape.length - 1]!]
}

/** p = softmax of every row of x. */
const softmaxInto = (x: ReadonlyFloat64Array, n: number, m: number, p: Float64Array): void => {
  for (let r = 0, o = 0; r < n; r++, o += m) {
    const s = expShiftedSum(x, o, m, rowMax(x, o, m), p)
    for (let j = o; j < o + m; j++) p[j] = p[j]! / s
  }
}

/** y = logSoftmax and p = softmax of every row of x (p is written either way: pass a scratch array when only y is wanted). */
const logSoftmaxInto = (x: ReadonlyFloat64Array, n: number, m: number, y: Float64Array, p: Float64Array): void => {
  for (let r = 0, o = 0; r < n; r++, o += m) {
    const mx = rowMax(x, o, m)
    const s = expShiftedSum(x, o, m, mx, p)
    const ls = Math.log(s)
    for (let j = o; j < o + m; j++) {
      y[j] = shifted(x[j]!, mx) - ls
      p[j] = p[j]! / s
    }
  }
}

/**
 * `J v` for the Jacobian `J = diag(y) - y yᵀ` of softmax at each row (`y` the softmax): row by row
 * `y * (v - <y, v>)`, a fresh array. `J` is symmetric, so this is the JVP and the pullback alike.
 */
const softmaxJacobianTimes = (y: Float64Array, v: ReadonlyFloat64Array, n: number, m: number): Float64Array => {
  const out = new Float64Array(y.length)
  for (let r = 0, o = 0; r < n; r++, o += m) {
    let yv = 0
    for (let j = o; j < o + m; j++) yv += y[j]! * v[j]!
    for (let j = o; j < o + m; j++) out[j] = y[j]! * (v[j]! - yv)
  }
  return out
}

const checkTangent = (op: string, a: Tensor, b: Tensor, what: string): void => {
  if (!shapeEquals(a.shape, b.shape)) throw new ShapeError(op, `a ${what} of the shape of the input`, [a.shape, b.shape])
}

// ---------------------------------------------------------------------------------------------
// Generic definitions

const primalMax = <A>(F: Floating<A>, xs: readonly A[]): number => {
  let mx = -Infinity
  for (const x of xs) mx = Math.max(mx, F.primal(x))
  return Number.isFinite(mx) ? mx : 0
}

const softmaxVector: VectorFn =
  <A>(F: Floating<A>) =>
  (xs: readonly A[]): readonly A[] => {
    const mx = F.of(primalMax(F, xs))
    const es = xs.map((x) => F.exp(F.sub(x, mx)))
    const s = es.reduce((a, b) => F.add(a, b), F.zero)
    return es.map((e) => F.div(e, s))
  }

const logSoftmaxVector: VectorFn =
  <A>(F: Floating<A>) =>
  (xs: readonly A[]): readonly A[] => {
    const mx = F.of(primalMax(F, xs))
    const ls = F.log(xs.map((x) => F.exp(F.sub(x, mx))).reduce((a, b) => F.add(a, b), F.zero))
    return xs.map((x) => F.sub(F.sub(x, mx), ls))
  }

// ---------------------------------------------------------------------------------------------
// Activations

const onRow =
  (f: (x: ReadonlyFloat64Array, n: number, m: number, y: Float64Array) => void) =>
  (row: readonly number[]): readonly number[] => {
    const y = new Float64Array(row.length)
    f(Float64Array.from(row), 1, row.length, y)
    return Array.from(y)
  }

/**
 * `softmax(x)_j = e^(x_j) / sum_k e^(x_k)` along the last axis, computed as
 * `e^(x_j - max x) / sum_k e^(x_k - max x)`: rows sum to 1 and nothing overflows, so
 * `softmax([1000, 0, -1000])` is exactly `[1, 0, 0]`. A row whose maximum is `+Infinity` gives the
 * limit (equal shares among the infinite entries, 0 elsewhere); a row of `-Infinity`s or with a
 * NaN gives NaNs. JVP `y (t - <y, t>)`, pullback `y (c - <y, c>)` per row, never NaN for finite
 * input.
 *
 * @throws ShapeError for a rank-0 tensor, or a tangent or cotangent of another shape.
 * @example
 * ```ts
 * import { Activation, tensor } from 'autodiff-ts'
 *
 * Activation.softmax.diff.apply(tensor([[1000, 0, -1000]])) // [[1, 0, 0]]
 * ```
 *
 * @category activations
 */
export const softmax: RowActivation = Object.freeze({
  name: 'softmax',
  vector: softmaxVector,
  value: onRow(softmaxInto),
  diff: sealed(make<Tensor, Tensor>({
    apply: (a) => {
      const [n, m] = rows('softmax', a.shape)
      const y = new Float64Array(a.data.length)
      softmaxInto(a.data, n, m, y)
      return wrap(a.shape, y)
    },
    jvp: (a, da) => {
      const [n, m] = rows('softmax', a.shape)
      checkTangent('softmax (jvp)', a, da, 'tangent')
      const y = new Float64Array(a.data.length)
      softmaxInto(a.data, n, m, y)
      return [wrap(a.shape, y), wrap(a.shape, softmaxJacobianTimes(y, da.data, n, m))]
    },
    vjp: (a) => {
      const [n, m] = rows('softmax', a.shape)
      const y = new Float64Array(a.data.length)
      softmaxInto(a.data, n, m, y)
      const pullback = (g: Tensor): Tensor => {
        checkTangent('softmax (pullback)', a, g, 'cotangent')
        return wrap(a.shape, softmaxJacobianTimes(y, g.data, n, m))
      }
      return [wrap(a.shape, y), pullback]
    },
  })),
})

/**
 * `logSoftmax(x)_j = x_j - log sum_k e^(x_k)` along the last axis, computed as
 * `(x_j - max x) - log sum_k e^(x_k - max x)`: `logSoftmax([1000, 0, -1000])` is
 * `[0, -1000, -2000]`, and its gradient stays finite. JVP `t - <p, t>`, pullback
 * `c - p sum(c)` per row, with `p` the softmax. Infinite and NaN rows as {@link softmax}.
 *
 * @throws ShapeError for a rank-0 tensor, or a tangent or cotangent of another shape.
 * @example
 * ```ts
 * import { Activation, tensor } from 'autodiff-ts'
 *
 * Activation.logSoftmax.diff.apply(tensor([1000, 0, -1000])) // [0, -1000, -2000]
 * ```
 *
 * @category activations
 */
export const logSoftmax: RowActivation = Object.freeze({
  name: 'logSoftmax',
  vector: logSoftmaxVector,
  value: onRow((x, n, m, y) => logSoftmaxInto(x, n, m, y, new Float64Array(x.length))),
  diff: sealed(make<Tensor, Tensor>({
    apply: (a) => {
      const [n, m] = rows('logSoftmax', a.shape)
      const y = new Float64Array(a.data.length)
      logSoftmaxInto(a.data, n, m, y, new Float64Array(a.data.length))
      return wrap(a.shape, y)
    },
    jvp: (a, da) => {
      const [n, m] = rows('logSoftmax', a.shape)
      checkTangent('logSoftmax (jvp)', a, da, 'tangent')
      const y = new Float64Array(a.data.length)
      const p = new Float64Array(a.data.length)
      logSoftmaxInto(a.data, n, m, y, p)
      const t = da.data
      for (let r = 0, o = 0; r < n; r++, o += m) {
        let pt = 0
        for (let j = o; j < o + m; j++) pt += p[j]! * t[j]!
        for (let j = o; j < o + m; j++) p[j] = t[j]! - pt
      }
      return [wrap(a.shape, y), wrap(a.shape, p)]
    },
    vjp: (a) => {
      const [n, m] = rows('logSoftmax', a.shape)
      const y = new Float64Array(a.data.length)
      const p = new Float64Array(a.data.length)
      logSoftmaxInto(a.data, n, m, y, p)
      const pullback = (g: Tensor): Tensor => {
        checkTangent('logSoftmax (pullback)', a, g, 'cotangent')
        const c = g.data
        const dx = new Float64Array(y.length)
        for (let r = 0, o = 0; r < n; r++, o += m) {
          let sc = 0
          for (let j = o; j < o + m; j++) sc += c[j]!
          for (let j = o; j < o + m; j++) dx[j] = c[j]! - p[j]! * sc
        }
        return wrap(a.shape, dx)
      }
      return [wrap(a.shape, y), pullback]
    },
  })),
})
