/**
 * Feature scaling fitted on training data and applied unchanged to test data, so that nothing
 * about the test set leaks into training (as scikit-learn's `StandardScaler` and
 * `MinMaxScaler`). All functions take and return matrices `[n, features]`; the fitted
 * statistics are vectors `[features]`.
 *
 * ```ts
 * const s = fitStandardizer(train.x)
 * const trainX = standardize(s)(train.x)
 * const testX = standardize(s)(test.x) // the train mean and std, not the test's
 * ```
 *
 * @packageDocumentation
 */
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { ShapeError } from '../ShapeError.js'

const matrix = (op: string, x: Tensor): readonly [number, number] => {
  if (x.shape.length !== 2) throw new ShapeError(op, 'a matrix [n, features]', [x.shape])
  return x.shape as readonly [number, number]
}

const columns = (op: string, x: Tensor, stat: Tensor): readonly [number, number] => {
  const [n, f] = matrix(op, x)
  if (stat.shape.length !== 1 || stat.shape[0] !== f)
    throw new ShapeError(op, `statistics fitted on ${f} features`, [x.shape, stat.shape])
  return [n, f]
}

/**
 * Per-feature mean and standard deviation, fitted by {@link fitStandardizer}.
 *
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * const s: Data.Standardizer = Data.fitStandardizer(tensor([[1], [3]]))
 * Array.from(s.std.data) // [1]
 * ```
 * @category normalisation
 */
export interface Standardizer {
  /** The mean of each feature, shape `[features]`. */
  readonly mean: Tensor
  /** The divisor of each feature, shape `[features]`: its standard deviation, or 1 where that is 0. */
  readonly std: Tensor
}

/**
 * The mean and the population standard deviation (dividing by `n`, as scikit-learn) of each
 * column of `x`, by two passes. A constant column gets std 1, so it standardises to 0 rather
 * than NaN.
 *
 * @throws ShapeError if `x` is not a matrix with at least one row.
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * Data.fitStandardizer(tensor([[1, 5], [3, 5]])) // { mean: [2, 5], std: [1, 1] }: the constant column gets std 1
 * ```
 * @category normalisation
 */
export const fitStandardizer = (x: Tensor): Standardizer => {
  const [n, f] = matrix('fitStandardizer', x)
  if (n === 0) throw new ShapeError('fitStandardizer', 'at least one row', [x.shape])
  const d = x.data
  const mean = new Float64Array(f)
  const std = new Float64Array(f)
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] = mean[j]! + d[i * f + j]!
  for (let j = 0; j < f; j++) mean[j] = mean[j]! / n
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++) {
      const e = d[i * f + j]! - mean[j]!
      std[j] = std[j]! + e * e
    }
  for (let j = 0; j < f; j++) {
    const s = Math.sqrt(std[j]! / n)
    std[j] = s > 0 ? s : 1
  }
  return Object.freeze({ mean: wrap([f], mean), std: wrap([f], std) })
}

/**
 * `(x - mean) / std`, column by column, with statistics from {@link fitStandardizer}.
 *
 * @throws ShapeError if `x` is not a matrix with as many columns as the statistics.
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * const train = tensor([[1, 10], [3, 30]])
 * const test = tensor([[2, 50]])
 * const s = Data.fitStandardizer(train) // mean [2, 20], std [1, 10]
 * Data.standardize(s)(train) // [[-1, -1], [1, 1]]
 * Data.standardize(s)(test) // [[0, 3]]: with the training statistics, not the test's
 * ```
 * @category normalisation
 */
export const standardize =
  (s: Standardizer) =>
  (x: Tensor): Tensor => {
    const [n, f] = columns('standardize', x, s.mean)
    const d = x.data
    const m = s.mean.data
    const sd = s.std.data
    const out = new Float64Array(n * f)
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) out[i * f + j] = (d[i * f + j]! - m[j]!) / sd[j]!
    return wrap([n, f], out)
  }

/**
 * Per-feature minimum and maximum, fitted by {@link fitMinMax}.
 *
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * const m: Data.MinMax = Data.fitMinMax(tensor([[1], [3]]))
 * Array.from(m.max.data) // [3]
 * ```
 * @category normalisation
 */
export interface MinMax {
  /** The minimum of each feature, shape `[features]`. */
  readonly min: Tensor
  /** The maximum of each feature, shape `[features]`. */
  readonly max: Tensor
}

/**
 * The minimum and maximum of each column of `x`.
 *
 * @throws ShapeError if `x` is not a matrix with at least one row.
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * Data.fitMinMax(tensor([[1, 5], [3, 5]])) // { min: [1, 5], max: [3, 5] }
 * ```
 * @category normalisation
 */
export const fitMinMax = (x: Tensor): MinMax => {
  const [n, f] = matrix('fitMinMax', x)
  if (n === 0) throw new ShapeError('fitMinMax', 'at least one row', [x.shape])
  const d = x.data
  const min = new Float64Array(f).fill(Infinity)
  const max = new Float64Array(f).fill(-Infinity)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++) {
      const v = d[i * f + j]!
      if (v < min[j]!) min[j] = v
      if (v > max[j]!) max[j] = v
    }
  return Object.freeze({ min: wrap([f], min), max: wrap([f], max) })
}

/**
 * `(x - min) / (max - min)`, column by column, with statistics from {@link fitMinMax}: the
 * fitted data lands in `[0, 1]` (other data may fall outside). A constant column maps to
 * `x - min`, so 0 on the fitted data.
 *
 * @throws ShapeError if `x` is not a matrix with as many columns as the statistics.
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * const train = tensor([[0, 5], [4, 5]])
 * const test = tensor([[2, 5], [8, 6]])
 * const s = Data.fitMinMax(train) // min [0, 5], max [4, 5]
 * Data.minMaxScale(s)(train) // [[0, 0], [1, 0]]
 * Data.minMaxScale(s)(test) // [[0.5, 0], [2, 1]]: test data may fall outside [0, 1]
 * ```
 * @category normalisation
 */
export const minMaxScale =
  (s: MinMax) =>
  (x: Tensor): Tensor => {
    const [n, f] = columns('minMaxScale', x, s.min)
    const d = x.data
    const lo = s.min.data
    const hi = s.max.data
    const out = new Float64Array(n * f)
    for (let j = 0; j < f; j++) {
      const w = hi[j]! - lo[j]!
      const scale = w > 0 ? w : 1
      for (let i = 0; i < n; i++) out[i * f + j] = (d[i * f + j]! - lo[j]!) / scale
    }
    return wrap([n, f], out)
  }

/**
 * Maps a known range `[low, high]` to `[0, 1]` for every element: `(x - low) / (high - low)`.
 * For data whose range is fixed by its nature, such as pixels: `rescale(16)` for the digits
 * (0..16), `rescale(255)` for MNIST.
 *
 * @throws RangeError unless `low < high`, both finite.
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 *
 * Data.rescale(16)(tensor([[0, 8, 16]])) // [[0, 0.5, 1]]
 * Data.rescale(255)(tensor([[51, 255]])) // [[0.2, 1]]
 * Data.rescale(1, 2) // throws RangeError
 * ```
 * @category normalisation
 */
export const rescale = (high: number, low = 0): ((x: Tensor) => Tensor) => {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high))
    throw new RangeError(`rescale: expected finite low < high, got low ${low} and high ${high}`)
  const w = high - low
  return (x) => {
    const d = x.data
    const out = new Float64Array(d.length)
    for (let i = 0; i < d.length; i++) out[i] = (d[i]! - low) / w
    return wrap(x.shape, out)
  }
}
