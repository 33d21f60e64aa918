/**
 * Labelled data sets for classification: a matrix of examples and a class label for each row.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import type { Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import { ShapeError } from '../ShapeError.js'

/**
 * An `Int32Array` seen through a read-only lens: indexing reads, nothing writes.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 *
 * const y: Data.ReadonlyInt32Array = Int32Array.of(3, 1)
 * y[1] // 1
 * ```
 * @category model
 */
export type ReadonlyInt32Array = Omit<Int32Array, 'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort' | number> & {
  readonly [index: number]: number
}

/**
 * A classification data set: `x` holds one example per row, shape `[n, features]`; `y[i]` is the
 * class of row `i`, an integer in `[0, classes)`. Immutable: build one with {@link dataset} (which
 * validates and copies) or get one from a loader.
 *
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const d = Data.dataset(tensor([[0, 1], [1, 0]]), [1, 0], 2)
 * isRight(d) && d.right.y[0] // 1: the class of the first row
 * ```
 * @category model
 */
export interface Dataset {
  /** The examples, shape `[n, features]`. */
  readonly x: Tensor
  /** The labels, `n` integers in `[0, classes)`. */
  readonly y: ReadonlyInt32Array
  /** The number of classes. */
  readonly classes: number
}

/** Builds a data set from parts already validated and owned by the caller. @internal */
export const unsafeDataset = (x: Tensor, y: Int32Array, classes: number): Dataset => Object.freeze({ x, y, classes })

/**
 * Validates and builds a data set: `x` must be a matrix `[n, features]`, `y` must hold `n`
 * integers in `[0, classes)`, `classes` a positive integer. The labels are copied. The Left names
 * the first problem, for example `labels[4]: label 10 is out of range 0..9`.
 *
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 * import { isLeft, isRight } from 'fp-ts/lib/Either.js'
 *
 * const ok = Data.dataset(tensor([[0, 1], [1, 0]]), [1, 0], 2)
 * isRight(ok) && ok.right.y // [1, 0]: an Int32Array copy of the labels
 * const short = Data.dataset(tensor([[0, 1], [1, 0]]), [1], 2)
 * isLeft(short) && short.left // 'dataset: x has 2 rows but there are 1 labels'
 * const wrong = Data.dataset(tensor([[0, 1], [1, 0]]), [1, 2], 2)
 * isLeft(wrong) && wrong.left // 'dataset: labels[1]: label 2 is out of range 0..1'
 * ```
 * @category constructors
 */
export const dataset = (x: Tensor, y: ArrayLike<number>, classes: number): Either<string, Dataset> => {
  if (x.shape.length !== 2) return left(`dataset: expected x of shape [n, features], found shape [${x.shape.join(', ')}]`)
  if (!Number.isSafeInteger(classes) || classes < 1)
    return left(`dataset: expected a positive integer number of classes, found ${classes}`)
  const n = x.shape[0]!
  if (y.length !== n) return left(`dataset: x has ${n} rows but there are ${y.length} labels`)
  const labels = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const v = y[i]!
    if (!Number.isInteger(v) || v < 0 || v >= classes)
      return left(`dataset: labels[${i}]: label ${v} is out of range 0..${classes - 1}`)
    labels[i] = v
  }
  return right(unsafeDataset(x, labels, classes))
}

/**
 * The number of examples.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const digits = Data.loadDigits()
 * isRight(digits) && Data.size(digits.right) // 1797
 * ```
 * @category accessors
 */
export const size = (d: Dataset): number => d.x.shape[0]!

/**
 * The number of features per example (columns of `x`).
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const digits = Data.loadDigits()
 * isRight(digits) && Data.features(digits.right) // 64: 8x8 pixels
 * ```
 * @category accessors
 */
export const features = (d: Dataset): number => d.x.shape[1]!

/**
 * The examples at the given row indices, in that order (repeats allowed): a new data set.
 *
 * @throws ShapeError if an index is not an integer in `[0, n)`.
 * @example
 * ```ts
 * import { Data, tensor } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const d = Data.dataset(tensor([[0, 0], [1, 1], [2, 2]]), [0, 1, 2], 3)
 * isRight(d) && Data.take(d.right, [2, 0, 2]).x // [[2, 2], [0, 0], [2, 2]]
 * isRight(d) && Data.take(d.right, [2, 0, 2]).y // [2, 0, 2]
 * isRight(d) && Data.take(d.right, [3]) // throws ShapeError
 * ```
 * @category combinators
 */
export const take = (d: Dataset, indices: readonly number[]): Dataset => {
  const n = size(d)
  const f = features(d)
  const m = indices.length
  const x = new Float64Array(m * f)
  const y = new Int32Array(m)
  const src = d.x.data as Float64Array
  for (let r = 0; r < m; r++) {
    const i = indices[r]!
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new ShapeError('Dataset.take', `row index ${i} in [0, ${n})`, [d.x.shape])
    // a read of a row; the only write is into the fresh array
    x.set(src.subarray(i * f, i * f + f), r * f)
    y[r] = d.y[i]!
  }
  return unsafeDataset(wrap([m, f], x), y, d.classes)
}

/**
 * The data set with `x` transformed (for example normalised); labels and classes unchanged.
 *
 * @throws ShapeError if `f` changes the number of rows or does not return a matrix.
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { pipe } from 'fp-ts/lib/function.js'
 *
 * const scaled = pipe(Data.loadDigits(), E.map(Data.mapX(Data.rescale(16))))
 * E.isRight(scaled) && scaled.right.x.data.slice(0, 8) // [0, 0, 0.3125, 0.8125, 0.5625, 0.0625, 0, 0]: pixels 0..16 as 0..1
 * ```
 * @category combinators
 */
export const mapX =
  (f: (x: Tensor) => Tensor) =>
  (d: Dataset): Dataset => {
    const fx = f(d.x)
    if (fx.shape.length !== 2 || fx.shape[0] !== size(d))
      throw new ShapeError('Dataset.mapX', `a matrix with ${size(d)} rows`, [d.x.shape, fx.shape])
    // memory of its own: the new data set shares nothing with the old one
    const x = fx === d.x ? wrap(fx.shape, fx.data.slice()) : fx
    return unsafeDataset(x, Int32Array.from(d.y), d.classes)
  }

/**
 * The number of examples of each class: entry `c` counts the labels equal to `c`.
 *
 * @example
 * ```ts
 * import { Data } from 'autodiff-ts'
 * import { isRight } from 'fp-ts/lib/Either.js'
 *
 * const digits = Data.loadDigits()
 * isRight(digits) && Data.classCounts(digits.right) // [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
 * ```
 * @category accessors
 */
export const classCounts = (d: Dataset): readonly number[] => {
  const counts = new Array<number>(d.classes).fill(0)
  for (let i = 0; i < d.y.length; i++) counts[d.y[i]!]!++
  return Object.freeze(counts)
}
