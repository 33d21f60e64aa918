/**
 * What training returns: a result (how it stopped, the best epoch) or an error (refused before
 * training, or stopped at a step with the last good values).
 *
 * @packageDocumentation
 */
import type { OptimizerState } from '../Optimizer.js'
import type { EpochRecord } from './types.js'

/**
 * Why training ended: it ran all its epochs, stopped early (the epoch at which it stopped), or
 * was aborted (before step `step` of epoch `epoch`).
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const s: Train.Stop = { reason: 'aborted', epoch: 2, step: 17 }
 * ```
 *
 * @category model
 */
export type Stop =
  | {
      /** Every epoch ran. */
      readonly reason: 'completed'
    }
  | {
      /** Early stopping ended training after epoch `epoch`. */
      readonly reason: 'earlyStopping'
      /** The last epoch run, from 0. */
      readonly epoch: number
    }
  | {
      /** The signal was aborted: training stopped before step `step` of epoch `epoch`. */
      readonly reason: 'aborted'
      /** The epoch it stopped in, from 0. */
      readonly epoch: number
      /** The step it stopped before, from 0 (the steps before it were taken). */
      readonly step: number
    }

/**
 * The best epoch seen by early stopping: its index and the monitored figure.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const b: Train.Best = { monitor: 'val_loss', epoch: 4, value: 0.12 }
 * ```
 *
 * @category model
 */
export interface Best {
  /** The monitored figure's name. */
  readonly monitor: string
  /** The best epoch, from 0. */
  readonly epoch: number
  /** Its monitored figure. */
  readonly value: number
}

/**
 * What `fit` and `fitAsync` return on success, including when stopped early or aborted.
 *
 * @example
 * ```ts
 * import { Layer, Loss, Random, Train, tensor } from 'autodiff-ts'
 *
 * const model = Layer.dense(1, 1)
 * const data = { x: tensor([[1], [2]]), y: tensor([[2], [4]]) }
 * const r = Train.fit(model, model.init(Random.key(0)), data, { loss: Loss.mse, epochs: 2, batchSize: 2, learningRate: 0.1, key: Random.key(1) })
 * r._tag === 'Right' && r.right.stopped.reason // 'completed'
 * ```
 *
 * @category model
 */
export interface FitResult<P> {
  /** The trained parameters (the best epoch's with `earlyStopping.restoreBest`). */
  readonly params: P
  /** The optimizer's state that goes with `params` (to resume training). */
  readonly state: OptimizerState<P>
  /** One record per completed epoch. */
  readonly history: readonly EpochRecord[]
  /** Why training ended. */
  readonly stopped: Stop
  /** The best epoch, when early stopping was asked for and an epoch completed. */
  readonly best?: Best
}

/**
 * `fit` or `evaluate` refused an option or the data before training.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const e: Train.InvalidOption = { _tag: 'InvalidOption', option: 'epochs', message: 'fit: option epochs: expected a positive integer, found 0' }
 * ```
 *
 * @category model
 */
export interface InvalidOption {
  /** The tag of this variant of {@link FitError}. */
  readonly _tag: 'InvalidOption'
  /** The option's name: `epochs`, `batchSize`, `learningRate`, `optimizer`, `key`, `loss`, `earlyStopping`, `data` or `validation`. */
  readonly option: string
  /** What was expected and what was found, in a sentence. */
  readonly message: string
}

/**
 * Training stopped at a step: the step, and the last good parameters, state and history.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const at = (e: Train.Halted<unknown>) => `epoch ${e.epoch}, step ${e.step}`
 * ```
 *
 * @category model
 */
export interface Halted<P> {
  /** The epoch of the failing step, from 0. */
  readonly epoch: number
  /** The failing step within its epoch, from 0. */
  readonly step: number
  /** The last good parameters: those before the failing step (all finite). */
  readonly params: P
  /** The optimizer state before the failing step. */
  readonly state: OptimizerState<P>
  /** The records of the completed epochs. */
  readonly history: readonly EpochRecord[]
  /** The failure in a sentence. */
  readonly message: string
}

/**
 * Training stopped because a loss, a gradient or an updated parameter was not finite.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const where = (e: Train.NonFinite<unknown>) => `${e.what} at ${e.path} is ${e.value}`
 * ```
 *
 * @category model
 */
export interface NonFinite<P> extends Halted<P> {
  /** The tag of this variant of {@link FitError}. */
  readonly _tag: 'NonFinite'
  /** What was not finite. */
  readonly what: 'loss' | 'gradient' | 'parameters'
  /** The path of the offending element in the gradient or parameter tree (`$` for the loss). */
  readonly path: string
  /** The offending value: NaN or an infinity. */
  readonly value: number
}

/**
 * Training stopped because the learning-rate schedule gave a rate that is not a finite number
 * >= 0 for the coming update.
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const where = (e: Train.BadLearningRate<unknown>) => `update ${e.update}: ${e.value}`
 * ```
 *
 * @category model
 */
export interface BadLearningRate<P> extends Halted<P> {
  /** The tag of this variant of {@link FitError}. */
  readonly _tag: 'BadLearningRate'
  /** The schedule's argument: the number of updates already made (the optimizer state's `step`). */
  readonly update: number
  /** What the schedule gave. */
  readonly value: unknown
}

/**
 * Why training was refused ({@link InvalidOption}) or stopped ({@link NonFinite},
 * {@link BadLearningRate}).
 *
 * @example
 * ```ts
 * import type { Train } from 'autodiff-ts'
 *
 * const say = (e: Train.FitError<unknown>) => e.message
 * ```
 *
 * @category model
 */
export type FitError<P> = InvalidOption | NonFinite<P> | BadLearningRate<P>
