/**
 * The softmax cross-entropy kernels, row by row: one implementation for `Loss.softmaxCrossEntropy`
 * and for the program algebra's `softmaxCrossEntropy` primitive. Logits are `[b, k]` row-major,
 * labels integers in `[0, k)` (checked by the callers).
 *
 * @packageDocumentation
 * @internal
 */
import type { ReadonlyFloat64Array } from '../Tensor.js'
import { expShiftedSum, rowMax, shifted } from '../activation/softmax.js'

/** The sum that {@link expShiftedSum} returns, in the same order, without storing the exponentials. */
const sumExpShifted = (x: ReadonlyFloat64Array, o: number, m: number, mx: number): number => {
  let s = 0
  for (let j = o; j < o + m; j++) s += Math.exp(shifted(x[j]!, mx))
  return s
}

/**
 * The sum over the `b` rows of `log(sum(exp(x))) - x[label]`, stable; each row's term also
 * written into `terms` when given.
 */
export const crossEntropyRows = (x: ReadonlyFloat64Array, b: number, k: number, ls: ArrayLike<number>, terms?: Float64Array): number => {
  let total = 0
  for (let r = 0, o = 0; r < b; r++, o += k) {
    const mx = rowMax(x, o, k)
    const s = sumExpShifted(x, o, k, mx)
    const term = Math.log(s) - shifted(x[o + ls[r]!]!, mx)
    total += term
    if (terms !== undefined) terms[r] = term
  }
  return total
}

/**
 * {@link crossEntropyRows}'s sum, and its gradient `(softmax(x) - onehot) / d` written into `g`
 * (every entry; the label's entry as minus the others' sum, accurate where it is near 0).
 */
export const crossEntropyRowsGrad = (x: ReadonlyFloat64Array, b: number, k: number, ls: ArrayLike<number>, d: number, g: Float64Array): number => {
  let total = 0
  for (let r = 0, o = 0; r < b; r++, o += k) {
    const mx = rowMax(x, o, k)
    const s = expShiftedSum(x, o, k, mx, g)
    const l = o + ls[r]!
    total += Math.log(s) - shifted(x[l]!, mx)
    let others = 0
    for (let j = o; j < o + k; j++) {
      const p = g[j]! / s
      g[j] = p / d
      if (j !== l) others += p
    }
    g[l] = -others / d
  }
  return total
}
