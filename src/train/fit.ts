/**
 * The two drivers of the training machine: {@link fit}, a synchronous fold, and
 * {@link fitAsync}, the same fold that yields to the event loop between steps.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left } from 'fp-ts/lib/Either.js'
import type { Layer } from '../Layer.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { checkFit, invalid } from './check.js'
import { training } from './machine.js'
import type { Pause } from './pause.js'
import { pause } from './pause.js'
import type { FitError, FitResult } from './results.js'
import type { Data, FitOptions, Targets } from './types.js'

/**
 * Trains `model` from `params` on `data`: for each epoch, the examples are shuffled by
 * `foldIn(key, epoch)` and cut into batches of `batchSize`, and `trainStep` is folded over the
 * batches. Returns the trained parameters, the optimizer state, a history of loss and metrics
 * per epoch (train and validation) and why training stopped. `onStep` hears about every step,
 * `onEpoch` about every epoch; `earlyStopping` stops when a figure stops improving; `signal`
 * (an `AbortSignal`) stops before the next step once aborted.
 *
 * Returns a `Left` instead:
 * - before any training, when an option is not what it must be (epochs and batchSize positive
 *   integers, learningRate a positive finite number or a schedule, a `Random.Key`,
 *   an optimizer that accepts its hyperparameters, early stopping that monitors a figure there
 *   is) or the data does not fit (no rows, shape, number of targets, model width, labels that
 *   are not integers in `[0, classes)`), naming the data set and the row;
 * - the moment a loss, a gradient or an updated parameter is not finite, or the learning-rate
 *   schedule gives a rate that is not a finite number >= 0, naming the epoch and the step, with
 *   the last good parameters.
 *
 * The same arguments give bit-identical results. {@link fitAsync} is the same run without
 * blocking the event loop.
 *
 * @example
 * ```ts
 * import { Activation, Layer, Loss, Optimizer, Random, Train, tensor } from 'autodiff-ts'
 *
 * const data = { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: [0, 1, 1, 0] } // XOR
 * const model = Layer.sequential(Layer.dense(2, 8), Layer.activation(Activation.tanh), Layer.dense(8, 2))
 * const options = {
 *   loss: Loss.softmaxCrossEntropy,
 *   metrics: { accuracy: Loss.accuracy },
 *   epochs: 200,
 *   batchSize: 4,
 *   learningRate: 0.05,
 *   optimizer: (lr: number | ((step: number) => number)) => Optimizer.adam({ lr }),
 *   key: Random.key(1),
 *   validation: data,
 *   onEpoch: (e: Train.EpochReport) => {
 *     if (e.epoch % 50 === 0) console.log(e.epoch, e.loss, e.metrics['accuracy'], e.samplesPerSecond)
 *   },
 * }
 * const result = Train.fit(model, model.init(Random.key(0)), data, options)
 * result._tag === 'Right' && result.right.history[199]!.validation!.metrics['accuracy'] // 1
 * const refused = Train.fit(model, model.init(Random.key(0)), data, { ...options, epochs: 0 })
 * refused._tag === 'Left' && refused.left.message // 'fit: option epochs: expected a positive integer, found 0'
 * const badLabel = Train.fit(model, model.init(Random.key(0)), { ...data, y: [0, 1, 1.5, 0] }, options)
 * badLabel._tag === 'Left' && badLabel.left.message // "fit: data: label at row 2: expected an integer in [0, 2) (the model's 2 outputs), found 1.5"
 * ```
 *
 * @category training
 */
export const fit = <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, params: P, data: Data<Y>, options: FitOptions<Y, P>): Either<FitError<P>, FitResult<P>> => {
  const checked = checkFit(model, params, data, options)
  if (checked._tag === 'Left') return checked
  const run = training(model, params, data, options, checked.right)
  let r = run.next()
  while (r.done !== true) r = run.next()
  return r.value
}

/**
 * Options of {@link fitAsync}: those of {@link fit}, and how often to yield to the event loop.
 *
 * @example
 * ```ts
 * import { Loss, Random, Train } from 'autodiff-ts'
 *
 * const controller = new AbortController()
 * const options: Train.FitAsyncOptions<readonly number[]> = {
 *   loss: Loss.softmaxCrossEntropy,
 *   epochs: 10,
 *   batchSize: 32,
 *   learningRate: 0.1,
 *   key: Random.key(0),
 *   signal: controller.signal,
 *   yieldEveryMs: 10,
 * }
 * ```
 *
 * @category model
 */
export interface FitAsyncOptions<Y extends Targets, P = Tree> extends FitOptions<Y, P> {
  /**
   * Yield to the event loop once the steps since the last yield have taken this many
   * milliseconds (checked after every step; 0 yields after every step): a non-negative finite
   * number, default 10. A page stays responsive within this plus one step's time.
   */
  readonly yieldEveryMs?: number
}

/**
 * {@link fit} without blocking: the same training, step for step and bit for bit, run in slices
 * of about `yieldEveryMs` milliseconds between which the event loop runs (input, rendering, I/O,
 * and the `signal`'s abort). The promise never rejects for a training outcome: refusals and
 * failures are a `Left` as with `fit`, and aborting gives a `Right` whose `stopped.reason` is
 * `'aborted'`, holding the parameters after the last completed step and the completed epochs'
 * history. (It rejects only for a programming mistake, such as a `ShapeError`, or a callback
 * that throws.)
 *
 * @example
 * ```ts
 * import { Layer, Loss, Random, Train, tensor } from 'autodiff-ts'
 *
 * const model = Layer.dense(1, 1)
 * const data = { x: tensor([[1], [2], [3], [4]]), y: tensor([[2], [4], [6], [8]]) }
 * const controller = new AbortController()
 * const options = { loss: Loss.mse, epochs: 1000, batchSize: 2, learningRate: 0.01, key: Random.key(1), signal: controller.signal }
 * const r = await Train.fitAsync(model, model.init(Random.key(0)), data, {
 *   ...options,
 *   onEpoch: (e: Train.EpochReport) => { if (e.epoch === 9) controller.abort() },
 * })
 * r._tag === 'Right' && r.right.stopped // { reason: 'aborted', epoch: 10, step: 0 }
 * r._tag === 'Right' && r.right.history.length // 10
 * ```
 *
 * @category training
 */
export const fitAsync = async <P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  params: P,
  data: Data<Y>,
  options: FitAsyncOptions<Y, P>,
): Promise<Either<FitError<P>, FitResult<P>>> => drive(pause)(model, params, data, options)

/**
 * {@link fitAsync} with the given way of yielding (for measuring the mechanisms side by side).
 *
 * @internal
 */
export const drive =
  (yieldNow: Pause) =>
  async <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, params: P, data: Data<Y>, options: FitAsyncOptions<Y, P>): Promise<Either<FitError<P>, FitResult<P>>> => {
    const every = options?.yieldEveryMs ?? 10
    if (!(typeof every === 'number' && Number.isFinite(every) && every >= 0)) return left(invalid('fit', 'yieldEveryMs', 'a non-negative finite number', every))
    const checked = checkFit(model, params, data, options)
    if (checked._tag === 'Left') return checked
    const run = training(model, params, data, options, checked.right)
    let since = performance.now()
    let r = run.next()
    while (r.done !== true) {
      if (performance.now() - since >= every) {
        await yieldNow()
        since = performance.now()
      }
      r = run.next()
    }
    return r.value
  }
