/**
 * The vocabulary of training: data, losses, metrics, the options of a run and what a run reports
 * as it goes (what it returns is in `results.ts`).
 *
 * @packageDocumentation
 */
import type { Diff } from '../Diff.js'
import type { Labels } from '../Loss.js'
import type { Optimizer, OptimizerState } from '../Optimizer.js'
import type { Key } from '../Random.js'
import type { LearningRate } from '../Schedule.js'
import type { Tensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'

/**
 * The targets of training: class labels (integers in `[0, classes)`), or a tensor with one row
 * per example (regression, multi-label).
 *
 * @example
 * ```ts
 * import { Train, tensor } from 'autodiff-ts'
 *
 * const labels: Train.Targets = [0, 2, 1]
 * const rows: Train.Targets = tensor([[0.5], [1.5]])
 * ```
 *
 * @category model
 */
export type Targets = Labels | Tensor

/**
 * Training data: examples `x` of shape `[n, features]` and their targets `y` (`n` labels, or a
 * tensor of shape `[n, ...]`). A `Dataset` of the data module is one.
 *
 * @example
 * ```ts
 * import { Train, tensor } from 'autodiff-ts'
 *
 * const xor: Train.Data<number[]> = { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: [0, 1, 1, 0] }
 * ```
 *
 * @category model
 */
export interface Data<Y extends Targets> {
  /** The examples, one per row: shape `[n, features]`. */
  readonly x: Tensor
  /** Their targets: `n` class labels, or a tensor of shape `[n, ...]`. */
  readonly y: Y
}

/**
 * A loss: for the targets of a batch, the differentiable map from the model's output to the mean
 * loss (the `Loss` module's `mse`, `binaryCrossEntropyWithLogits`, `softmaxCrossEntropy` are such).
 *
 * @example
 * ```ts
 * import { Loss, Train } from 'autodiff-ts'
 *
 * const loss: Train.LossFn<readonly number[]> = Loss.softmaxCrossEntropy
 * ```
 *
 * @category model
 */
export type LossFn<Y extends Targets> = (targets: Y) => Diff<Tensor, number>

/**
 * A metric: for the targets of a batch, a function of the model's output, a mean over the batch's
 * examples (so that epoch figures are means over examples), such as `Loss.accuracy`.
 *
 * @example
 * ```ts
 * import { Loss, Train } from 'autodiff-ts'
 *
 * const accuracy: Train.Metric<readonly number[]> = Loss.accuracy
 * ```
 *
 * @category model
 */
export type Metric<Y extends Targets> = (targets: Y) => (output: Tensor) => number

/**
 * A report sent to `onStep` after every step.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const log = (p: Train.Progress) => console.log(`${p.epoch}:${p.step}/${p.steps} loss ${p.loss}`)
 * ```
 *
 * @category model
 */
export interface Progress {
  /** The epoch, from 0. */
  readonly epoch: number
  /** The step within the epoch, from 0. */
  readonly step: number
  /** The number of steps per epoch. */
  readonly steps: number
  /** The loss of this step's batch (before the update). */
  readonly loss: number
  /** The metrics of this step's batch. */
  readonly metrics: { readonly [name: string]: number }
  /** `metrics.accuracy`, when accuracy is among the metrics. */
  readonly accuracy: number | undefined
  /** Examples per second over this epoch so far (wall clock; the only impure figure). */
  readonly samplesPerSecond: number
}

/**
 * The loss and metrics of a model on a data set, each a mean over its examples.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const e: Train.Evaluation = { loss: 0.1, metrics: { accuracy: 0.97 } }
 * ```
 *
 * @category model
 */
export interface Evaluation {
  /** The mean loss. */
  readonly loss: number
  /** The mean of each metric. */
  readonly metrics: { readonly [name: string]: number }
}

/**
 * The figures of one epoch: the mean loss and metrics over the training examples (as seen
 * during the epoch, before each step's update) and, with validation data, over the validation
 * examples at the end of the epoch. Deterministic: no clock in it.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const r: Train.EpochRecord = { epoch: 0, loss: 0.5, metrics: {}, validation: { loss: 0.6, metrics: {} } }
 * ```
 *
 * @category model
 */
export interface EpochRecord {
  /** The epoch, from 0. */
  readonly epoch: number
  /** The mean training loss over the epoch's examples. */
  readonly loss: number
  /** The mean training metrics over the epoch's examples. */
  readonly metrics: { readonly [name: string]: number }
  /** Loss and metrics on the validation data after the epoch, when there is validation data. */
  readonly validation?: Evaluation
}

/**
 * A report sent to `onEpoch` at the end of every epoch: its record and the wall-clock figures.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const log = (e: Train.EpochReport) => console.log(`epoch ${e.epoch}: ${e.loss}, ${e.samplesPerSecond} samples/s`)
 * ```
 *
 * @category model
 */
export interface EpochReport extends EpochRecord {
  /** The number of steps of the epoch. */
  readonly steps: number
  /** Wall-clock seconds of the epoch's steps (validation not included). */
  readonly seconds: number
  /** Training examples per second over the epoch (wall clock). */
  readonly samplesPerSecond: number
}

/**
 * Early stopping, as Keras' `EarlyStopping` callback: after every epoch the monitored figure is
 * compared with the best so far; training stops once it has not improved by more than
 * `minDelta` for `patience` epochs in a row.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const stop: Train.EarlyStopping = { monitor: 'val_accuracy', patience: 3, restoreBest: true }
 * ```
 *
 * @category model
 */
export interface EarlyStopping {
  /**
   * The figure watched: `'loss'` or a metric's name (training figures of the epoch), or either
   * prefixed with `val_` (`'val_loss'`, `'val_accuracy'`: on the validation data, which must be given).
   */
  readonly monitor: string
  /** Whether lower or higher is better; default `'min'` for a loss, `'max'` for a metric. */
  readonly mode?: 'min' | 'max'
  /** Epochs without improvement to wait before stopping: a non-negative integer. */
  readonly patience: number
  /** The least change that counts as an improvement: a non-negative finite number; default 0. */
  readonly minDelta?: number
  /**
   * Return the parameters (and optimizer state) of the best epoch instead of the last; default
   * false. Applies when training ends by stopping early or by running out of epochs.
   */
  readonly restoreBest?: boolean
}

/**
 * What training reads of an `AbortSignal`: whether it was aborted (checked before every step).
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const signal: Train.AbortSignalLike = new AbortController().signal
 * ```
 *
 * @category model
 */
export interface AbortSignalLike {
  /** Whether to stop. */
  readonly aborted: boolean
}

/**
 * Options of `fit` and `fitAsync`.
 *
 * @example
 * ```ts
 * import { Loss, Random, Train } from 'autodiff-ts'
 *
 * const options: Train.FitOptions<readonly number[]> = {
 *   loss: Loss.softmaxCrossEntropy,
 *   epochs: 10,
 *   batchSize: 32,
 *   learningRate: 0.1,
 *   key: Random.key(0),
 * }
 * ```
 *
 * @category model
 */
export interface FitOptions<Y extends Targets, P = Tree> {
  /** The loss of the model's output against a batch's targets. */
  readonly loss: LossFn<Y>
  /** The number of passes over the data: a positive integer. */
  readonly epochs: number
  /** Examples per step: a positive integer (the last batch of an epoch holds the remainder). */
  readonly batchSize: number
  /** A positive finite number, or a schedule of the step; handed to `optimizer`. */
  readonly learningRate: LearningRate
  /** The optimizer for a learning rate; default `lr => Optimizer.sgd({ lr })`. */
  readonly optimizer?: (lr: LearningRate) => Optimizer
  /** The key that shuffles the batches: epoch `e` uses `foldIn(key, e)`. */
  readonly key: Key
  /** Shuffle the examples every epoch; default true (false: batches in order). */
  readonly shuffle?: boolean
  /** Metrics by name, reported per step and per epoch. */
  readonly metrics?: { readonly [name: string]: Metric<Y> }
  /** Data to evaluate on at the end of every epoch. */
  readonly validation?: Data<Y>
  /** Stop when a figure stops improving. */
  readonly earlyStopping?: EarlyStopping
  /** Called after every step. */
  readonly onStep?: (p: Progress) => void
  /** Called at the end of every epoch, after validation. */
  readonly onEpoch?: (e: EpochReport) => void
  /**
   * Stops training before the next step once `aborted` is true (an `AbortSignal`): the result
   * holds the parameters after the last step taken and the completed epochs' history.
   */
  readonly signal?: AbortSignalLike
  /** The optimizer state to start from (to resume training); default `optimizer.init(params)`. */
  readonly state?: OptimizerState<P>
}
