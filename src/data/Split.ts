/**
 * Random train/test splits and mini-batches, driven by an explicit {@link Key}: the same key
 * gives the same split and the same batches on every run.
 *
 * @packageDocumentation
 */
import type { Key } from '../Random.js'
import { permutation } from '../Random.js'
import type { Dataset } from './Dataset.js'
import { size, take } from './Dataset.js'

/**
 * Options of {@link trainTestSplit}.
 *
 * @example
 * ```ts
 * import { Data, Random } from 'autodiff-ts'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * const options: Data.SplitOptions = { testFraction: 0.1 }
 * const digits = Data.loadDigits()
 * E.isRight(digits) && Data.size(Data.trainTestSplit(Random.key(0), digits.right, options).test) // 180: round(1797 * 0.1)
 * ```
 * @category splitting
 */
export interface SplitOptions {
  /** The fraction of examples held out for testing, in `(0, 1)`; default 0.2. */
  readonly testFraction?: number
}

/**
 * Splits a data set at random into a training part and a held-out test part of
 * `round(n * testFraction)` examples (at least 1 and at most `n - 1` when `n >= 2`). The rows
 * are shuffled by `permutation(key, n)`: the test set is its first rows, the training set the
 * rest, each in permuted order.
 *
 * @throws RangeError unless `testFraction` is in `(0, 1)` and the data set has at least 2 rows.
 * @example
 * ```ts
 * import { Data, Random } from 'autodiff-ts'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const split = pipe(Data.loadDigits(), E.map((digits) => Data.trainTestSplit(Random.key(0), digits, { testFraction: 0.2 })))
 * E.isRight(split) && [Data.size(split.right.train), Data.size(split.right.test)] // [1438, 359]
 * ```
 * @category splitting
 */
export const trainTestSplit = (
  key: Key,
  data: Dataset,
  options: SplitOptions = {},
): {
  /** The remaining `n - round(n * testFraction)` examples, for training. */
  readonly train: Dataset
  /** The first `round(n * testFraction)` rows of the permutation, held out for testing. */
  readonly test: Dataset
} => {
  const { testFraction = 0.2 } = options
  const n = size(data)
  if (!(testFraction > 0 && testFraction < 1))
    throw new RangeError(`trainTestSplit: expected testFraction in (0, 1), got ${testFraction}`)
  if (n < 2) throw new RangeError(`trainTestSplit: expected at least 2 examples to split, got ${n}`)
  const nTest = Math.min(n - 1, Math.max(1, Math.round(n * testFraction)))
  const p = permutation(key, n)
  return Object.freeze({ train: take(data, p.slice(nTest)), test: take(data, p.slice(0, nTest)) })
}

/**
 * The mini-batches of one epoch: a sequence of data sets that can be iterated again and again
 * (each time the same batches, made lazily, so only one batch is in memory at a time).
 *
 * @example
 * ```ts
 * import { Data, Random, tensor } from 'autodiff-ts'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * const train = Data.dataset(tensor([[0], [1], [2], [3], [4]]), [0, 1, 0, 1, 0], 2)
 * const b: Data.Batches | undefined = E.isRight(train) ? Data.batches(Random.key(0), train.right, 2) : undefined
 * b?.count // 3: batches of 2, 2 and 1
 * ```
 * @category splitting
 */
export interface Batches extends Iterable<Dataset> {
  /** The number of batches, `ceil(n / batchSize)`. */
  readonly count: number
  /** The size of every batch but possibly the last. */
  readonly batchSize: number
}

/**
 * The row indices of each mini-batch: `permutation(key, n)` cut into consecutive runs of
 * `batchSize`, the last run possibly shorter (it is kept, not dropped).
 *
 * @throws RangeError unless `n` is a non-negative integer and `batchSize` a positive integer.
 * @example
 * ```ts
 * import { Data, Random } from 'autodiff-ts'
 *
 * Data.batchIndices(Random.key(0), 5, 2) // [[1, 0], [3, 4], [2]]: a permutation of 0..4 in runs of 2
 * Data.batchIndices(Random.key(1), 5, 2) // [[2, 0], [4, 3], [1]]: another key, another permutation
 * ```
 * @category splitting
 */
export const batchIndices = (key: Key, n: number, batchSize: number): readonly (readonly number[])[] => {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batches: expected a positive integer batch size, got ${batchSize}`)
  const p = permutation(key, n)
  const out: (readonly number[])[] = []
  for (let i = 0; i < n; i += batchSize) out.push(Object.freeze(p.slice(i, i + batchSize)))
  return Object.freeze(out)
}

/**
 * The data set shuffled by `key` and cut into mini-batches of `batchSize` rows; the last batch
 * holds the remainder (it is kept). Use a fresh key per epoch, e.g. `foldIn(key, epoch)`.
 *
 * @throws RangeError unless `batchSize` is a positive integer.
 * @example
 * ```ts
 * import { Data, Random, tensor } from 'autodiff-ts'
 * import * as E from 'fp-ts/lib/Either.js'
 *
 * const train = Data.dataset(tensor([[0], [1], [2], [3], [4]]), [0, 1, 0, 1, 0], 2)
 * const key = Random.key(0)
 * const epoch0 = E.isRight(train) ? Data.batches(Random.foldIn(key, 0), train.right, 2) : []
 * Array.from(epoch0, (batch) => Array.from(batch.x.data)) // [[2, 0], [4, 3], [1]]: the rows of each batch
 * for (let epoch = 0; epoch < 3; epoch++)
 *   for (const batch of E.isRight(train) ? Data.batches(Random.foldIn(key, epoch), train.right, 2) : []) {
 *     // batch.x: [<= 2, 1], batch.y: its labels; a training step goes here
 *     void batch
 *   }
 * ```
 * @category splitting
 */
export const batches = (key: Key, data: Dataset, batchSize: number): Batches => {
  const idx = batchIndices(key, size(data), batchSize)
  return Object.freeze({
    count: idx.length,
    batchSize,
    *[Symbol.iterator](): Iterator<Dataset> {
      for (const rows of idx) yield take(data, rows)
    },
  })
}
