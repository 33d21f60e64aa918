/**
 * Learning-rate schedules: plain functions from the step (the number of updates already made,
 * starting at 0) to a learning rate. An optimizer evaluates its schedule at `state.step` before
 * each update, so the first update uses `schedule(0)`.
 *
 * The constructors check their arguments and throw a `RangeError` for a value that is not a
 * finite number in range (a programming mistake, like a wrong shape); `fit` catches it and turns
 * it into a `Left` before training starts.
 *
 * @packageDocumentation
 */

/**
 * A learning-rate schedule: the learning rate for the update made after `step` earlier updates.
 *
 * @category model
 */
export type Schedule = (step: number) => number

/**
 * A learning rate: a fixed positive number, or a {@link Schedule}.
 *
 * @category model
 */
export type LearningRate = number | Schedule

const positive = (op: string, name: string, x: number): void => {
  if (!(typeof x === 'number' && Number.isFinite(x) && x > 0))
    throw new RangeError(`${op}: expected ${name} to be a positive finite number, found ${String(x)}`)
}

const positiveInt = (op: string, name: string, x: number): void => {
  if (!(Number.isSafeInteger(x) && x > 0))
    throw new RangeError(`${op}: expected ${name} to be a positive integer, found ${String(x)}`)
}

const unitInterval = (op: string, name: string, x: number, closed: boolean): void => {
  if (!(typeof x === 'number' && x > 0 && (closed ? x <= 1 : x < 1)))
    throw new RangeError(`${op}: expected ${name} in (0, 1${closed ? ']' : ')'}, found ${String(x)}`)
}

/**
 * The constant schedule `_ => lr`.
 *
 * @throws RangeError unless `lr` is a positive finite number.
 * @example
 * ```ts
 * import { Schedule } from 'autodiff-ts'
 *
 * Schedule.constant(0.1)(1000) // 0.1
 * ```
 *
 * @category schedules
 */
export const constant = (lr: number): Schedule => {
  positive('Schedule.constant', 'lr', lr)
  return () => lr
}

/**
 * Step decay, as PyTorch's `StepLR` stepped once per update: `lr * gamma^floor(step / every)`.
 *
 * @throws RangeError unless `lr` is positive and finite, `every` a positive integer and `gamma`
 *   in (0, 1].
 * @example
 * ```ts
 * import { Schedule } from 'autodiff-ts'
 *
 * const s = Schedule.stepDecay(0.1, { every: 10, gamma: 0.5 })
 * s(9) // 0.1
 * s(10) // 0.05
 * ```
 *
 * @category schedules
 */
export const stepDecay = (lr: number, options: { readonly every: number; readonly gamma: number }): Schedule => {
  positive('Schedule.stepDecay', 'lr', lr)
  positiveInt('Schedule.stepDecay', 'every', options.every)
  unitInterval('Schedule.stepDecay', 'gamma', options.gamma, true)
  const { every, gamma } = options
  return (step) => lr * gamma ** Math.floor(step / every)
}

/**
 * Exponential decay, as PyTorch's `ExponentialLR` stepped once per update: `lr * gamma^step`.
 *
 * @throws RangeError unless `lr` is positive and finite and `gamma` in (0, 1].
 * @example
 * ```ts
 * import { Schedule } from 'autodiff-ts'
 *
 * Schedule.exponential(1, 0.5)(3) // 0.125
 * ```
 *
 * @category schedules
 */
export const exponential = (lr: number, gamma: number): Schedule => {
  positive('Schedule.exponential', 'lr', lr)
  unitInterval('Schedule.exponential', 'gamma', gamma, true)
  return (step) => lr * gamma ** step
}

/**
 * Cosine annealing from `lr` down to `min` over `steps` updates, as PyTorch's
 * `CosineAnnealingLR` with `T_max = steps` and `eta_min = min`:
 * `min + (lr - min) (1 + cos(pi step / steps)) / 2`. Unlike PyTorch it stays at `min` after
 * `steps` (as optax's `cosine_decay_schedule`) instead of rising again.
 *
 * @throws RangeError unless `lr` is positive and finite, `steps` a positive integer and `min` a
 *   finite number in [0, lr].
 * @example
 * ```ts
 * import { Schedule } from 'autodiff-ts'
 *
 * const s = Schedule.cosine(0.1, { steps: 100 })
 * s(0) // 0.1
 * s(50) // 0.05
 * s(100) // 0
 * ```
 *
 * @category schedules
 */
export const cosine = (lr: number, options: { readonly steps: number; readonly min?: number }): Schedule => {
  positive('Schedule.cosine', 'lr', lr)
  positiveInt('Schedule.cosine', 'steps', options.steps)
  const min = options.min ?? 0
  if (!(Number.isFinite(min) && min >= 0 && min <= lr))
    throw new RangeError(`Schedule.cosine: expected min to be a finite number in [0, ${lr}], found ${String(min)}`)
  const { steps } = options
  return (step) => (step >= steps ? min : min + ((lr - min) * (1 + Math.cos((Math.PI * step) / steps))) / 2)
}

/**
 * The {@link Schedule} of a {@link LearningRate}: a number becomes {@link constant}, a function is
 * returned as it is.
 *
 * @throws RangeError if `lr` is a number that is not positive and finite.
 * @example
 * ```ts
 * import { Schedule } from 'autodiff-ts'
 *
 * Schedule.of(0.01)(5) // 0.01
 * ```
 *
 * @category schedules
 */
export const of = (lr: LearningRate): Schedule => (typeof lr === 'function' ? lr : constant(lr))
