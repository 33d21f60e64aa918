/**
 * Label encodings.
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'

/**
 * One-hot encoding: row `i` of the `[n, classes]` result is 1 in column `labels[i]` and 0
 * elsewhere.
 *
 * @throws RangeError if `classes` is not a positive integer or a label is not an integer in
 *   `[0, classes)` (labels from the loaders are already checked).
 * @example
 * ```ts
 * oneHot([2, 0], 3) // [[0, 0, 1], [1, 0, 0]]
 * ```
 * @category encoding
 */
export const oneHot = (labels: ArrayLike<number>, classes: number): Tensor => {
  if (!Number.isSafeInteger(classes) || classes < 1)
    throw new RangeError(`oneHot: expected a positive integer number of classes, got ${classes}`)
  const n = labels.length
  const out = new Float64Array(n * classes)
  for (let i = 0; i < n; i++) {
    const c = labels[i]!
    if (!Number.isInteger(c) || c < 0 || c >= classes)
      throw new RangeError(`oneHot: labels[${i}] is ${c}, expected an integer in 0..${classes - 1}`)
    out[i * classes + c] = 1
  }
  return wrap([n, classes], out)
}

