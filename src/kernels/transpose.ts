/**
 * Axis permutation (transpose) of row-major data, with a cache-blocked path for matrices.
 *
 * @packageDocumentation
 */
import type { ReadonlyFloat64Array, Shape } from '../Tensor.js'
import { shapeSize, strides } from './shape.js'

const BLOCK = 32

/**
 * The transpose of a row-major `rows` by `cols` matrix: a fresh `cols` by `rows` array, copied
 * in 32 by 32 blocks so that both sides stay in cache.
 *
 * @example
 * ```ts
 * transpose2d(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3) // [1, 4, 2, 5, 3, 6]
 * ```
 * @category kernels
 */
export const transpose2d = (x: ReadonlyFloat64Array, rows: number, cols: number): Float64Array => {
  const out = new Float64Array(rows * cols)
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(rows, i0 + BLOCK)
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(cols, j0 + BLOCK)
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j]!
    }
  }
  return out
}

/**
 * The data of `x` (shape `shape`) with its axes permuted: output axis `d` is input axis
 * `perm[d]`, as NumPy's `transpose(x, perm)`. `perm` is assumed to be a valid permutation.
 * Returns the output shape and fresh data.
 *
 * @example
 * ```ts
 * permute(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]) // [[3, 2], [1, 4, 2, 5, 3, 6]]
 * ```
 * @category kernels
 */
export const permute = (
  x: ReadonlyFloat64Array, shape: Shape, perm: readonly number[],
): readonly [Shape, Float64Array] => {
  const outShape = perm.map((p) => shape[p]!)
  const n = shapeSize(shape)
  // Merge runs of input axes that stay adjacent and in order: [2, 3, 4] by [2, 0, 1] is a
  // matrix transpose of [6, 4].
  const groups: number[][] = []
  for (const p of perm) {
    const g = groups[groups.length - 1]
    if (g !== undefined && g[g.length - 1] === p - 1) g.push(p)
    else groups.push([p])
  }
  const order = groups.map((g) => g[0]!).sort((a, b) => a - b)
  const gShape = order.map((first) => groups.find((g) => g[0] === first)!.reduce((s, d) => s * shape[d]!, 1))
  const gPerm = groups.map((g) => order.indexOf(g[0]!))
  if (gPerm.length <= 1) return [outShape, Float64Array.from(x as ArrayLike<number>)]
  if (gPerm.length === 2) return [outShape, transpose2d(x, gShape[0]!, gShape[1]!)]
  // General case: walk the output in order with an odometer over input strides.
  const inStrides = strides(gShape)
  const oShape = gPerm.map((p) => gShape[p]!)
  const oStrides = gPerm.map((p) => inStrides[p]!)
  const r = oShape.length
  const out = new Float64Array(n)
  const last = oShape[r - 1]!
  const lastStride = oStrides[r - 1]!
  const idx = new Array<number>(r).fill(0)
  let src = 0
  for (let o = 0; o < n; o += last) {
    for (let j = 0; j < last; j++) out[o + j] = x[src + j * lastStride]!
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++
      src += oStrides[d]!
      if (idx[d]! < oShape[d]!) break
      src -= oStrides[d]! * oShape[d]!
      idx[d] = 0
    }
  }
  return [outShape, out]
}
