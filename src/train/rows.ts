/**
 * Rows of training data: counting them and gathering a batch of them into fresh arrays (or one
 * the training loop reuses).
 *
 * @internal
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { isTensor, wrap } from '../Tensor.js'
import type { Targets } from './types.js'

/** The number of examples the targets describe. */
export const rowsOf = (y: Targets): number => (isTensor(y) ? (y.shape[0] ?? 0) : y.length)

/**
 * Rows `idx` of a matrix-like tensor (rank >= 1), in that order: a fresh tensor, or one on the
 * start of `into` (whoever passes it owns it, and knows no one holds the tensor it gave before).
 */
export const takeRows = (t: Tensor, idx: readonly number[], into?: Float64Array): Tensor => {
  const n = t.shape[0]!
  const w = n === 0 ? 0 : t.data.length / n
  const out = into === undefined ? new Float64Array(idx.length * w) : into.subarray(0, idx.length * w)
  const src = t.data as Float64Array
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r]!
    out.set(src.subarray(i * w, i * w + w), r * w)
  }
  return wrap([idx.length, ...t.shape.slice(1)], out)
}

/** Targets `idx`, in that order: fresh labels or a fresh tensor. */
export const takeTargets = <Y extends Targets>(y: Y, idx: readonly number[]): Y => {
  if (isTensor(y)) return takeRows(y, idx) as Y
  const out = new Int32Array(idx.length)
  for (let r = 0; r < idx.length; r++) out[r] = y[idx[r]!]!
  return out as unknown as Y
}

/** The batches `[0, b), [b, 2b), ...` of `n` rows, in order. */
export const inOrder = (n: number, batchSize: number): readonly (readonly number[])[] =>
  Array.from({ length: Math.ceil(n / batchSize) }, (_, b) => Array.from({ length: Math.min(batchSize, n - b * batchSize) }, (_, i) => b * batchSize + i))
