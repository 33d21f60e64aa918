/**
 * The loss and metrics of a model over a whole data set.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, map } from 'fp-ts/lib/Either.js'
import type { Layer } from '../Layer.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { checkData, checkLossAndBatch } from './check.js'
import { takeRows, takeTargets } from './rows.js'
import type { InvalidOption } from './results.js'
import type { Data, Evaluation, LossFn, Metric, Targets } from './types.js'

/**
 * Options of {@link evaluate}.
 *
 * @example
 * ```ts
 * import { Loss, Train } from 'autodiff-ts'
 *
 * const o: Train.EvaluateOptions<readonly number[]> = { loss: Loss.softmaxCrossEntropy, metrics: { accuracy: Loss.accuracy } }
 * ```
 *
 * @category model
 */
export interface EvaluateOptions<Y extends Targets> {
  /** The loss of the model's output against a batch's targets. */
  readonly loss: LossFn<Y>
  /** Metrics by name. */
  readonly metrics?: { readonly [name: string]: Metric<Y> }
  /** Examples per batch: a positive integer; default 1024. */
  readonly batchSize?: number
}

/** {@link evaluate} on data already checked (at least one row, targets that fit). */
export const evaluateChecked = <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, params: P, data: Data<Y>, options: EvaluateOptions<Y>): Evaluation => {
  const n = data.x.shape[0]!
  const bs = options.batchSize ?? 1024
  const metrics = options.metrics ?? {}
  const names = Object.keys(metrics)
  const sums = new Array<number>(names.length).fill(0)
  let total = 0
  for (let s = 0; s < n; s += bs) {
    const idx = Array.from({ length: Math.min(bs, n - s) }, (_, i) => s + i)
    const x = takeRows(data.x, idx)
    const y = takeTargets(data.y, idx)
    const out = model.apply([params, x])
    total += options.loss(y).apply(out) * idx.length
    names.forEach((m, j) => (sums[j] = sums[j]! + metrics[m]!(y)(out) * idx.length))
  }
  return Object.freeze({
    loss: total / n,
    metrics: Object.freeze(Object.fromEntries(names.map((m, j) => [m, sums[j]! / n]))),
  })
}

/**
 * The loss and metrics of a model over a whole data set, in batches of `batchSize` (default
 * 1024), each a mean over the examples. A `Left` when the data cannot be evaluated: no rows (a
 * mean over nothing), targets that do not match the rows, labels that are not integers in
 * `[0, classes)`, or a bad option.
 *
 * @throws ShapeError if the data does not fit the model.
 * @example
 * ```ts
 * import { Layer, Loss, Train, tensor, zeros } from 'autodiff-ts'
 *
 * const model = Layer.dense(2, 2)
 * const params = { w: tensor([[1, 0], [0, 1]]), b: tensor([0, 0]) }
 * const data = { x: tensor([[2, 1], [0, 3]]), y: [0, 0] }
 * const r = Train.evaluate(model, params, data, { loss: Loss.softmaxCrossEntropy, metrics: { accuracy: Loss.accuracy } })
 * r._tag === 'Right' && r.right.metrics['accuracy'] // 0.5
 * const badLabel = Train.evaluate(model, params, { x: data.x, y: [0, 2] }, { loss: Loss.softmaxCrossEntropy })
 * badLabel._tag === 'Left' && badLabel.left.message // "evaluate: data: label at row 1: expected an integer in [0, 2) (the model's 2 outputs), found 2"
 * const empty = Train.evaluate(model, params, { x: zeros([0, 2]), y: [] }, { loss: Loss.softmaxCrossEntropy })
 * empty._tag === 'Left' && empty.left.message // 'evaluate: data: expected at least one example, found 0'
 * ```
 *
 * @category training
 */
export const evaluate = <P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  params: P,
  data: Data<Y>,
  options: EvaluateOptions<Y>,
): Either<InvalidOption, Evaluation> => {
  const bad = checkLossAndBatch('evaluate', options?.loss, options?.batchSize, false)
  if (bad !== undefined) return left(bad)
  return map((d: Data<Y>) => evaluateChecked(model, params, d, options))(checkData('evaluate', 'data', model, params, data))
}
