/**
 * Training as a fold: {@link fit} folds {@link trainStep} over the mini-batches of each epoch
 * (shuffled by an explicit key) and over the epochs, and returns the trained parameters, the
 * optimizer's state and a history, or an error value; {@link fitAsync} runs the same fold without
 * blocking the event loop, abortable by an `AbortSignal`. Nothing is mutated and nothing is
 * random but the key, so the same inputs give bit-identical runs, synchronous or not.
 *
 * Failures are values: options that are not what they must be and data that does not fit
 * (labels included) are refused before training starts; a loss, gradient or parameter that turns
 * non-finite, or a learning rate that is not a finite number >= 0, stops training with a `Left`
 * naming the epoch, the step and the value, holding the last good parameters.
 *
 * @packageDocumentation
 */
export type {
  AbortSignalLike,
  Data,
  EarlyStopping,
  EpochRecord,
  EpochReport,
  Evaluation,
  FitOptions,
  LossFn,
  Metric,
  Progress,
  Targets,
} from './train/types.js'
export type { BadLearningRate, Best, FitError, FitResult, Halted, InvalidOption, NonFinite, Stop } from './train/results.js'
export type { StepFailure, StepResult, StepSuccess } from './train/step.js'
export { lossAndGrad, trainStep } from './train/step.js'
export type { EvaluateOptions } from './train/evaluate.js'
export { evaluate } from './train/evaluate.js'
export type { FitAsyncOptions } from './train/fit.js'
export { fit, fitAsync } from './train/fit.js'
