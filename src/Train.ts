/**
 * Training as a fold: {@link fit} folds {@link trainStep} over the mini-batches of each epoch
 * (shuffled by an explicit key) and over the epochs, and returns the trained parameters, the
 * optimizer's state and a history, or an error value. Nothing is mutated and nothing is random
 * but the key, so the same inputs give bit-identical runs.
 *
 * Failures are values: options that are not positive finite numbers (integers where needed) and
 * data that does not fit are refused before training starts; a loss, gradient or parameter that
 * turns non-finite stops training with a `Left` naming the epoch, the step and the value, holding
 * the last good parameters.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { Diff } from './Diff.js'
import type { Layer } from './Layer.js'
import type { Labels } from './Loss.js'
import type { Optimizer, OptimizerState } from './Optimizer.js'
import { sgd } from './Optimizer.js'
import type { Key } from './Random.js'
import { foldIn } from './Random.js'
import type { LearningRate } from './Schedule.js'
import type { Tensor } from './Tensor.js'
import { isTensor, wrap } from './Tensor.js'
import * as T from './Tree.js'
import type { Tree } from './Tree.js'
import { batchIndices } from './data/Split.js'

// ---------------------------------------------------------------------------------------------
// Model

/**
 * The targets of training: class labels, or a tensor with one row per example (regression,
 * multi-label).
 *
 * @category model
 */
export type Targets = Labels | Tensor

/**
 * Training data: examples `x` of shape `[n, features]` and their targets `y` (`n` labels, or a
 * tensor of shape `[n, ...]`). A `Dataset` of the data module is one.
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
 * @category model
 */
export type LossFn<Y extends Targets> = (targets: Y) => Diff<Tensor, number>

/**
 * A metric: for the targets of a batch, a function of the model's output, a mean over the batch's
 * examples (so that epoch figures are means over examples), such as `Loss.accuracy`.
 *
 * @category model
 */
export type Metric<Y extends Targets> = (targets: Y) => (output: Tensor) => number

/**
 * A progress report, sent after every step.
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
 * The figures of one epoch: the mean loss and metrics over the training examples (as seen
 * during the epoch, before each step's update) and, with validation data, over the validation
 * examples at the end of the epoch.
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
 * The loss and metrics of a model on a data set, each a mean over its examples.
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
 * What {@link fit} returns on success.
 *
 * @category model
 */
export interface FitResult<P> {
  /** The trained parameters. */
  readonly params: P
  /** The optimizer's state after the last step (to resume training). */
  readonly state: OptimizerState<P>
  /** One record per epoch. */
  readonly history: readonly EpochRecord[]
}

/**
 * {@link fit} refused an option or the data before training.
 *
 * @category model
 */
export interface InvalidOption {
  /** The tag of this variant of {@link FitError}. */
  readonly _tag: 'InvalidOption'
  /** The option's name: `epochs`, `batchSize`, `learningRate`, `optimizer`, `key`, `loss`, `data` or `validation`. */
  readonly option: string
  /** What was expected and what was found, in a sentence. */
  readonly message: string
}

/**
 * {@link fit} stopped because a loss, a gradient or an updated parameter was not finite.
 *
 * @category model
 */
export interface NonFinite<P> {
  /** The tag of this variant of {@link FitError}. */
  readonly _tag: 'NonFinite'
  /** The epoch of the failing step, from 0. */
  readonly epoch: number
  /** The failing step within its epoch, from 0. */
  readonly step: number
  /** What was not finite. */
  readonly what: 'loss' | 'gradient' | 'parameters'
  /** The path of the offending element in the gradient or parameter tree (`$` for the loss). */
  readonly path: string
  /** The offending value: NaN or an infinity. */
  readonly value: number
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
 * Why {@link fit} refused to train ({@link InvalidOption}) or stopped ({@link NonFinite}).
 *
 * @category model
 */
export type FitError<P> = InvalidOption | NonFinite<P>

/**
 * Options of {@link fit}.
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
  /** Called after every step. */
  readonly onProgress?: (p: Progress) => void
  /** The optimizer state to start from (to resume training); default `optimizer.init(params)`. */
  readonly state?: OptimizerState<P>
}

// ---------------------------------------------------------------------------------------------
// Batches

const rowsOf = (y: Targets): number => (isTensor(y) ? (y.shape[0] ?? 0) : y.length)

/** Rows `idx` of a matrix-like tensor (rank >= 1), in that order: a fresh tensor. */
const takeRows = (t: Tensor, idx: readonly number[]): Tensor => {
  const n = t.shape[0]!
  const w = n === 0 ? 0 : t.data.length / n
  const out = new Float64Array(idx.length * w)
  const src = t.data as Float64Array
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r]!
    out.set(src.subarray(i * w, i * w + w), r * w)
  }
  return wrap([idx.length, ...t.shape.slice(1)], out)
}

const takeTargets = <Y extends Targets>(y: Y, idx: readonly number[]): Y => {
  if (isTensor(y)) return takeRows(y, idx) as Y
  const out = new Int32Array(idx.length)
  for (let r = 0; r < idx.length; r++) out[r] = y[idx[r]!]!
  return out as unknown as Y
}

// ---------------------------------------------------------------------------------------------
// Steps and evaluation

/**
 * A step that produced something non-finite: what, where (`$` for the loss) and the value.
 *
 * @category model
 */
export interface StepFailure {
  /** What was not finite. */
  readonly what: 'loss' | 'gradient' | 'parameters'
  /** The path of the offending element (`$` for the loss). */
  readonly path: string
  /** The offending value. */
  readonly value: number
}

/**
 * A step that went through: the batch's loss and the model's output (before the update), and
 * the new state and parameters.
 *
 * @category model
 */
export interface StepSuccess<P> {
  /** The batch's loss before the update. */
  readonly loss: number
  /** The model's output on the batch before the update. */
  readonly output: Tensor
  /** The optimizer state after the update. */
  readonly state: OptimizerState<P>
  /** The parameters after the update. */
  readonly params: P
}

/**
 * The outcome of one training step.
 *
 * @category model
 */
export type StepResult<P> = Either<StepFailure, StepSuccess<P>>

/** Whether every element of a tree is finite: one branch-free pass (`x * 0` is NaN exactly for NaN and +-Infinity). */
const allFinite = (t: Tree): boolean => {
  let acc = 0
  for (const leaf of T.leaves(t)) {
    if (typeof leaf === 'number') acc += leaf * 0
    else {
      const d = leaf.data
      for (let i = 0; i < d.length; i++) acc += d[i]! * 0
    }
  }
  return acc === 0
}

/** The first non-finite element of a tree, with its path, or undefined. */
const firstNonFinite = (t: Tree): { readonly path: string; readonly value: number } | undefined => {
  if (allFinite(t)) return undefined
  const [leaves, def] = T.flatten(t)
  for (let l = 0; l < leaves.length; l++) {
    const leaf = leaves[l]!
    if (typeof leaf === 'number') {
      if (!Number.isFinite(leaf)) return { path: leafPath(def, l), value: leaf }
      continue
    }
    const d = leaf.data
    for (let i = 0; i < d.length; i++)
      if (!Number.isFinite(d[i]!)) return { path: `${leafPath(def, l)}[${unravelIndex(leaf.shape, i).join(', ')}]`, value: d[i]! }
  }
  return undefined
}

const unravelIndex = (shape: readonly number[], i: number): number[] => {
  const idx = new Array<number>(shape.length)
  for (let a = shape.length - 1; a >= 0; a--) {
    const n = shape[a]!
    idx[a] = i % n
    i = Math.floor(i / n)
  }
  return idx
}

/** The path of leaf number `target` (in flatten order) in a tree of structure `def`. */
const leafPath = (def: T.TreeDef, target: number): string => {
  let k = 0
  let found = '$'
  const go = (d: T.TreeDef, path: string): boolean => {
    switch (d.kind) {
      case 'number':
      case 'tensor':
        if (k++ === target) {
          found = path
          return true
        }
        return false
      case 'array':
        return d.items.some((c, i) => go(c, `${path}[${i}]`))
      case 'record':
        return d.items.some((c, i) => go(c, `${path}.${d.keys[i]!}`))
    }
  }
  go(def, '$')
  return found
}

/**
 * One training step on one batch, a pure function: the model's output and the loss by one
 * reverse pass in the parameters only (`model.vjpParams`), the gradient, and the optimizer's
 * update. A non-finite loss, gradient or updated parameter is returned as a `Left` naming it.
 *
 * @throws ShapeError if the batch does not fit the model (a programming mistake).
 * @example
 * ```ts
 * import { Layer, Loss, Optimizer, Random, Train, tensor } from 'autodiff-ts'
 *
 * const model = Layer.dense(2, 1)
 * const opt = Optimizer.sgd({ lr: 0.1 })
 * const step = Train.trainStep(model, Loss.mse, opt)
 * const p = model.init(Random.key(0))
 * const r = step(opt.init(p), p, tensor([[1, 2]]), tensor([[3]]))
 * r._tag // 'Right'
 * ```
 *
 * @category training
 */
export const trainStep =
  <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, loss: LossFn<Y>, optimizer: Optimizer) =>
  (state: OptimizerState<P>, params: P, x: Tensor, y: Y): StepResult<P> => {
    const [output, pbModel] = model.vjpParams(params, x)
    const [value, pbLoss] = loss(y).vjp(output)
    if (!Number.isFinite(value)) return left({ what: 'loss', path: '$', value })
    const grads = pbModel(pbLoss(1))
    const badGrad = firstNonFinite(grads)
    if (badGrad !== undefined) return left({ what: 'gradient', ...badGrad })
    const [s, p] = optimizer.update(state, params, grads)
    const badParam = firstNonFinite(p)
    if (badParam !== undefined) return left({ what: 'parameters', ...badParam })
    return right({ loss: value, output, state: s, params: p })
  }

/**
 * The loss and metrics of a model over a whole data set, in batches of `batchSize` (default
 * 1024), each a mean over the examples.
 *
 * @throws ShapeError if the data does not fit the model.
 * @example
 * ```ts
 * import { Layer, Loss, Train, tensor } from 'autodiff-ts'
 *
 * const model = Layer.dense(2, 2)
 * const params = { w: tensor([[1, 0], [0, 1]]), b: tensor([0, 0]) }
 * const data = { x: tensor([[2, 1], [0, 3]]), y: [0, 0] }
 * const r = Train.evaluate(model, params, data, { loss: Loss.softmaxCrossEntropy, metrics: { accuracy: Loss.accuracy } })
 * r.metrics['accuracy'] // 0.5
 * ```
 *
 * @category training
 */
export const evaluate = <P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  params: P,
  data: Data<Y>,
  options: { readonly loss: LossFn<Y>; readonly metrics?: { readonly [name: string]: Metric<Y> }; readonly batchSize?: number },
): Evaluation => {
  const n = data.x.shape[0]!
  const bs = options.batchSize ?? 1024
  const names = Object.keys(options.metrics ?? {})
  const sums = new Array<number>(names.length).fill(0)
  let total = 0
  for (let s = 0; s < n; s += bs) {
    const idx = Array.from({ length: Math.min(bs, n - s) }, (_, i) => s + i)
    const x = takeRows(data.x, idx)
    const y = takeTargets(data.y, idx)
    const out = model.apply([params, x])
    total += options.loss(y).apply(out) * idx.length
    names.forEach((m, j) => (sums[j] = sums[j]! + options.metrics![m]!(y)(out) * idx.length))
  }
  return Object.freeze({
    loss: total / n,
    metrics: Object.freeze(Object.fromEntries(names.map((m, j) => [m, sums[j]! / n]))),
  })
}

// ---------------------------------------------------------------------------------------------
// Option checks

const invalid = (option: string, expected: string, found: unknown): InvalidOption => ({
  _tag: 'InvalidOption',
  option,
  message: `fit: option ${option}: expected ${expected}, found ${typeof found === 'number' || typeof found === 'boolean' ? String(found) : found === undefined ? 'nothing' : typeof found === 'string' ? JSON.stringify(found) : typeof found}`,
})

const checkOptions = <P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  data: Data<Y>,
  o: FitOptions<Y, P>,
): Either<FitError<P>, Optimizer> => {
  const posInt = (u: unknown): boolean => typeof u === 'number' && Number.isSafeInteger(u) && u > 0
  if (!posInt(o.epochs)) return left(invalid('epochs', 'a positive integer', o.epochs))
  if (!posInt(o.batchSize)) return left(invalid('batchSize', 'a positive integer', o.batchSize))
  const lr = o.learningRate
  if (typeof lr !== 'function' && !(typeof lr === 'number' && Number.isFinite(lr) && lr > 0))
    return left(invalid('learningRate', 'a positive finite number or a schedule', lr))
  if (typeof o.loss !== 'function') return left(invalid('loss', 'a loss function', o.loss))
  if (o.key === undefined || o.key === null || typeof o.key !== 'object') return left(invalid('key', 'a random key (Random.key(seed))', o.key))
  for (const [name, d] of [['data', data], ['validation', o.validation]] as const) {
    if (d === undefined) continue
    const r = checkData(model, d)
    if (r !== undefined) return left({ _tag: 'InvalidOption', option: name, message: `fit: ${name}: ${r}` })
  }
  if (data.x.shape[0] === 0) return left({ _tag: 'InvalidOption', option: 'data', message: 'fit: data: expected at least one example, found 0' })
  try {
    return right((o.optimizer ?? ((l: LearningRate) => sgd({ lr: l })))(lr))
  } catch (e) {
    if (e instanceof RangeError) return left({ _tag: 'InvalidOption', option: 'optimizer', message: `fit: option optimizer: ${e.message}` })
    throw e
  }
}

const checkData = <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, d: Data<Y>): string | undefined => {
  if (!isTensor(d.x) || d.x.shape.length !== 2) return `expected x of shape [n, features], found ${isTensor(d.x) ? `shape [${d.x.shape.join(', ')}]` : typeof d.x}`
  const n = d.x.shape[0]!
  if (rowsOf(d.y) !== n) return `expected ${n} targets (one per row of x), found ${rowsOf(d.y)}`
  const w = model.widths.in
  if (w !== null && d.x.shape[1] !== w) return `expected ${w} features per example (the model's input width), found ${d.x.shape[1]}`
  return undefined
}

// ---------------------------------------------------------------------------------------------
// fit

/** The subject of a {@link NonFinite} message, singular: one element failed. */
const failed: { readonly [W in StepFailure['what']]: string } = { loss: 'the loss', gradient: 'the gradient', parameters: 'the updated parameter' }

/**
 * Trains `model` from `params` on `data`: for each epoch, the examples are shuffled by
 * `foldIn(key, epoch)` and cut into batches of `batchSize`, and {@link trainStep} is folded over
 * the batches. Returns the trained parameters, the optimizer state and a history of loss and
 * metrics per epoch (train and validation). `onProgress` hears about every step.
 *
 * Returns a `Left` instead:
 * - before any training, when an option is not what it must be (epochs and batchSize positive
 *   integers, learningRate a positive finite number or a schedule, a key, an optimizer that
 *   accepts its hyperparameters) or the data does not fit (shape, number of targets, model width);
 * - the moment a loss, a gradient or an updated parameter is not finite, naming the epoch, the
 *   step, the path and the value, with the last good parameters.
 *
 * The same arguments give bit-identical results.
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
 *   onProgress: (p: Train.Progress) => {
 *     if (p.epoch % 50 === 0) console.log(p.epoch, p.step, p.loss, p.accuracy, p.samplesPerSecond)
 *   },
 * }
 * const result = Train.fit(model, model.init(Random.key(0)), data, options)
 * result._tag === 'Right' && result.right.history[199]!.validation!.metrics['accuracy'] // 1
 * const refused = Train.fit(model, model.init(Random.key(0)), data, { ...options, epochs: 0 })
 * refused._tag === 'Left' && refused.left.message // 'fit: option epochs: expected a positive integer, found 0'
 * ```
 *
 * @category training
 */
export const fit = <P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  params: P,
  data: Data<Y>,
  options: FitOptions<Y, P>,
): Either<FitError<P>, FitResult<P>> => {
  const checked = checkOptions(model, data, options)
  if (isLeft(checked)) return checked
  const optimizer = checked.right
  const { epochs, batchSize, loss, key, onProgress, validation } = options
  const metrics = options.metrics ?? {}
  const names = Object.keys(metrics)
  const shuffle = options.shuffle ?? true
  const n = data.x.shape[0]!
  const step = trainStep<P, Y>(model, loss, optimizer)
  let state: OptimizerState<P> = options.state ?? optimizer.init(params)
  let p = params
  const history: EpochRecord[] = []
  const inOrder = shuffle ? undefined : Array.from({ length: Math.ceil(n / batchSize) }, (_, b) =>
    Array.from({ length: Math.min(batchSize, n - b * batchSize) }, (_, i) => b * batchSize + i),
  )
  for (let epoch = 0; epoch < epochs; epoch++) {
    const batches = inOrder ?? batchIndices(foldIn(key, epoch), n, batchSize)
    const t0 = performance.now()
    let seen = 0
    let lossSum = 0
    const sums = new Array<number>(names.length).fill(0)
    for (let s = 0; s < batches.length; s++) {
      const idx = batches[s]!
      const x = takeRows(data.x, idx)
      const y = takeTargets(data.y, idx)
      const r = step(state, p, x, y)
      if (isLeft(r)) {
        const { what, path, value } = r.left
        return left({
          _tag: 'NonFinite',
          epoch,
          step: s,
          what,
          path,
          value,
          params: p,
          state,
          history: Object.freeze(history.slice()),
          message: `fit: ${failed[what]}${what === 'loss' ? '' : ` at ${path}`} is ${value} at epoch ${epoch}, step ${s}; training stopped, the parameters before that step are kept`,
        })
      }
      const { loss: l, output } = r.right
      state = r.right.state
      p = r.right.params
      seen += idx.length
      lossSum += l * idx.length
      const m: { [name: string]: number } = {}
      for (let j = 0; j < names.length; j++) {
        const v = metrics[names[j]!]!(y)(output)
        m[names[j]!] = v
        sums[j] = sums[j]! + v * idx.length
      }
      if (onProgress !== undefined) {
        const dt = (performance.now() - t0) / 1000
        onProgress(
          Object.freeze({
            epoch,
            step: s,
            steps: batches.length,
            loss: l,
            metrics: Object.freeze(m),
            accuracy: m['accuracy'],
            samplesPerSecond: dt > 0 ? seen / dt : Infinity,
          }),
        )
      }
    }
    const record: EpochRecord = {
      epoch,
      loss: lossSum / seen,
      metrics: Object.freeze(Object.fromEntries(names.map((k, j) => [k, sums[j]! / seen]))),
      ...(validation !== undefined ? { validation: evaluate(model, p, validation, { loss, metrics, batchSize: Math.max(batchSize, 1024) }) } : {}),
    }
    history.push(Object.freeze(record))
  }
  return right(Object.freeze({ params: p, state, history: Object.freeze(history) }))
}
