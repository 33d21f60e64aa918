/**
 * Broadcasting: a plan that walks an output shape row by row while reading each input with its
 * broadcast strides, and the two kernels built directly on it, {@link broadcastData}
 * (materialise a broadcast) and {@link sumToShape} (its adjoint: sum a cotangent back down to
 * an input's shape, "unbroadcast").
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array, Shape } from '../Tensor.js'
import { ShapeError } from '../ShapeError.js'
import { allocate, checkSize } from './alloc.js'
import { toOverwrite } from './spares.js'
import { broadcastStrides, broadcastsTo, shapeSize } from './shape.js'

/**
 * How to walk an output of shape `shape` as `rows` contiguous rows of length `len`, reading
 * input `i` of row `r` from `offsets[i][r]` with stride `steps[i]` (1, or 0 when that input is
 * broadcast along the row). Adjacent axes that every input reads the same way are merged, so
 * the rows are as long as possible: `[128, 128] + [128]` is 128 rows of 128, and two inputs of
 * the same shape are one row.
 *
 * @example
 * ```ts
 * const p: BroadcastPlan = broadcastPlan('mul', [4, 5], [[4, 1], [5]])
 * p.rows // 4
 * p.steps // [0, 1]
 * ```
 * @category kernels
 */
export interface BroadcastPlan {
  /** The output shape. */
  readonly shape: Shape
  /** Number of rows. */
  readonly rows: number
  /** Length of each row. */
  readonly len: number
  /** Per input, the offset of each row's first element. */
  readonly offsets: readonly Int32Array[]
  /** Per input, the step along a row: 1 or 0. */
  readonly steps: readonly number[]
}

/**
 * The plan for reading inputs of shapes `inputs` broadcast to `shape`. Each input must
 * broadcast to `shape` (checked: a `ShapeError` naming `op` otherwise).
 *
 * @example
 * ```ts
 * const p = broadcastPlan('add', [2, 3], [[2, 3], [3]])
 * p.rows // 2
 * p.len // 3
 * p.steps // [1, 1]
 * Array.from(p.offsets[0]!) // [0, 3]
 * Array.from(p.offsets[1]!) // [0, 0]
 * ```
 * @category kernels
 */
export const broadcastPlan = (op: string, shape: Shape, inputs: readonly Shape[]): BroadcastPlan => {
  for (const s of inputs)
    if (!broadcastsTo(s, shape)) throw new ShapeError(op, `every input must broadcast to [${shape.join(', ')}]`, inputs)
  checkSize(op, shape, [...inputs, shape])
  const n = inputs.length
  // Drop axes of extent 1, then merge adjacent axes that are contiguous for every input.
  const all = inputs.map((s) => broadcastStrides(s, shape))
  const dims: number[] = []
  const st: number[][] = inputs.map(() => [])
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue
    const last = dims.length - 1
    const mergeable =
      last >= 0 && all.every((s, i) => st[i]![last] === s[d]! * shape[d]! || (st[i]![last] === 0 && s[d] === 0))
    if (mergeable) {
      dims[last] = dims[last]! * shape[d]!
      for (let i = 0; i < n; i++) st[i]![last] = all[i]![d]!
    } else {
      dims.push(shape[d]!)
      for (let i = 0; i < n; i++) st[i]!.push(all[i]![d]!)
    }
  }
  const total = shapeSize(shape)
  if (dims.length === 0 || total === 0) {
    const rows = total === 0 ? 0 : 1
    return { shape, rows, len: total === 0 ? 0 : 1, offsets: inputs.map(() => new Int32Array(rows)), steps: inputs.map(() => 1) }
  }
  const len = dims[dims.length - 1]!
  const rows = total / len
  const outer = dims.slice(0, -1)
  const offsets = st.map((s) => {
    const off = new Int32Array(rows)
    const idx = new Array<number>(outer.length).fill(0)
    let o = 0
    for (let r = 0; r < rows; r++) {
      off[r] = o
      // odometer over the outer axes, innermost first
      for (let d = outer.length - 1; d >= 0; d--) {
        idx[d]!++
        o += s[d]!
        if (idx[d]! < outer[d]!) break
        o -= s[d]! * outer[d]!
        idx[d] = 0
      }
    }
    return off
  })
  return { shape, rows, len, offsets, steps: st.map((s) => s[s.length - 1]!) }
}

/**
 * The data of a tensor of shape `from` broadcast to shape `to`, materialised (a fresh array).
 *
 * @throws ShapeError naming `broadcastTo` if `from` does not broadcast to `to`.
 * @example
 * ```ts
 * broadcastData(Float64Array.of(1, 2), [2], [2, 2]) // [1, 2, 1, 2]
 * ```
 * @category kernels
 */
export const broadcastData = (x: ReadonlyFloat64Array, from: Shape, to: Shape): Float64Array => {
  const p = broadcastPlan('broadcastTo', to, [from])
  const out = allocate('broadcastTo', to, [from, to])
  if (x.length === 1) return out.length === 0 ? out : out.fill(x[0]!)
  const off = p.offsets[0]!
  const len = p.len
  if (p.steps[0] === 1) {
    for (let r = 0; r < p.rows; r++) {
      const o = r * len
      const s = off[r]!
      for (let j = 0; j < len; j++) out[o + j] = x[s + j]!
    }
  } else {
    for (let r = 0; r < p.rows; r++) {
      const o = r * len
      const v = x[off[r]!]!
      if (len >= 16) out.fill(v, o, o + len)
      else for (let j = 0; j < len; j++) out[o + j] = v
    }
  }
  return out
}

/**
 * The adjoint of broadcasting: sums `x` (of shape `from`) over the axes along which `to` was
 * broadcast, giving data of shape `to`. This is how a broadcasting op's pullback returns each
 * input a cotangent of its own shape.
 *
 * @throws ShapeError naming `sumToShape` if `to` does not broadcast to `from`.
 * @example
 * ```ts
 * sumToShape(Float64Array.of(1, 2, 3, 4), [2, 2], [2]) // [4, 6]
 * sumToShape(Float64Array.of(1, 2, 3, 4), [2, 2], [2, 1]) // [3, 7]
 * ```
 * @category kernels
 */
export const sumToShape = (x: ReadonlyFloat64Array, from: Shape, to: Shape): Float64Array => {
  const p = broadcastPlan('sumToShape', from, [to])
  // zeros, then sums into them: a lent array serves as well as a fresh one (kernels/spares.ts)
  const out = toOverwrite(shapeSize(to)).fill(0)
  const off = p.offsets[0]!
  const len = p.len
  if (p.steps[0] === 1) {
    const rows = p.rows
    for (let r = 0; r < rows; ) {
      const o = off[r]!
      const s = r * len
      if (r + 3 < rows && off[r + 1] === o && off[r + 2] === o && off[r + 3] === o) {
        // four rows summed into the same place in one pass: the same additions, in the same order
        // (left to right), with a quarter of the loads and stores of the sums (a bias's gradient)
        const s1 = s + len
        const s2 = s1 + len
        const s3 = s2 + len
        for (let j = 0; j < len; j++) out[o + j] = out[o + j]! + x[s + j]! + x[s1 + j]! + x[s2 + j]! + x[s3 + j]!
        r += 4
      } else {
        for (let j = 0; j < len; j++) out[o + j] = out[o + j]! + x[s + j]!
        r++
      }
    }
  } else {
    for (let r = 0; r < p.rows; r++) {
      const s = r * len
      let a0 = 0
      let a1 = 0
      let j = 0
      for (; j + 1 < len; j += 2) {
        a0 += x[s + j]!
        a1 += x[s + j + 1]!
      }
      if (j < len) a0 += x[s + j]!
      const o = off[r]!
      out[o] = out[o]! + (a0 + a1)
    }
  }
  return out
}
