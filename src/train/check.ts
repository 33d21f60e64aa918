/**
 * The checks made before training or evaluating: options, keys (by `Random.decodeKey`), data
 * shapes and labels, each refused with an {@link InvalidOption} that names the option, what was
 * expected and what was found.
 *
 * @internal
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import type { Layer } from '../Layer.js'
import type { Optimizer } from '../Optimizer.js'
import { sgd } from '../Optimizer.js'
import { decodeKey } from '../Random.js'
import type { LearningRate } from '../Schedule.js'
import type { Tensor } from '../Tensor.js'
import { isTensor } from '../Tensor.js'
import type { Tree } from '../Tree.js'
import { rowsOf, takeRows } from './rows.js'
import type { InvalidOption } from './results.js'
import type { Data, EarlyStopping, FitOptions, Targets } from './types.js'

/** A found value in a message: numbers and booleans as themselves, strings quoted, others by type. */
const show = (found: unknown): string =>
  typeof found === 'number' || typeof found === 'boolean'
    ? String(found)
    : found === undefined
      ? 'nothing'
      : typeof found === 'string'
        ? JSON.stringify(found)
        : found === null
          ? 'null'
          : typeof found

/** An {@link InvalidOption} for `op`'s option `option`. */
export const invalid = (op: string, option: string, expected: string, found: unknown): InvalidOption => ({
  _tag: 'InvalidOption',
  option,
  message: `${op}: option ${option}: expected ${expected}, found ${show(found)}`,
})

/** The number of classes the model's output has: its declared width, or the last axis of its output on one row. */
const classesOf = <P extends Tree>(model: Layer<P, Tensor, Tensor>, params: P, x: Tensor): number => {
  const w = model.widths.out
  if (typeof w === 'number') return w
  if (w === 'same' && x.shape[1] !== undefined) return x.shape[1]
  const out = model.apply([params, takeRows(x, [0])])
  return out.shape[out.shape.length - 1] ?? 1
}

/** Why labels are not integers in `[0, classes)`: the first bad row, or undefined. */
const labelProblem = (y: ArrayLike<number>, classes: number): string | undefined => {
  for (let i = 0; i < y.length; i++) {
    const l: unknown = y[i]
    if (!(typeof l === 'number' && Number.isInteger(l) && l >= 0 && l < classes))
      return `label at row ${i}: expected an integer in [0, ${classes}) (the model's ${classes} outputs), found ${show(l)}`
  }
  return undefined
}

/** Why `d` does not fit `model` (shape of x, number of targets, model width, labels), or undefined. */
const dataProblem = <P extends Tree, Y extends Targets>(model: Layer<P, Tensor, Tensor>, params: P, d: Data<Y>): string | undefined => {
  if (typeof d !== 'object' || d === null) return `expected data { x, y }, found ${show(d)}`
  if (!isTensor(d.x) || d.x.shape.length !== 2) return `expected x of shape [n, features], found ${isTensor(d.x) ? `shape [${d.x.shape.join(', ')}]` : show(d.x)}`
  const n = d.x.shape[0]!
  if (n === 0) return 'expected at least one example, found 0'
  if (!isTensor(d.y) && (typeof d.y !== 'object' || d.y === null || typeof d.y.length !== 'number'))
    return `expected targets y (labels or a tensor), found ${show(d.y)}`
  if (rowsOf(d.y) !== n) return `expected ${n} targets (one per row of x), found ${rowsOf(d.y)}`
  const w = model.widths.in
  if (w !== null && d.x.shape[1] !== w) return `expected ${w} features per example (the model's input width), found ${d.x.shape[1]}`
  return isTensor(d.y) ? undefined : labelProblem(d.y, classesOf(model, params, d.x))
}

/** Checks a data set of `op` under the option name `name` (`data` or `validation`). */
export const checkData = <P extends Tree, Y extends Targets>(
  op: string,
  name: string,
  model: Layer<P, Tensor, Tensor>,
  params: P,
  d: Data<Y>,
): Either<InvalidOption, Data<Y>> => {
  const r = dataProblem(model, params, d)
  return r === undefined ? right(d) : left({ _tag: 'InvalidOption', option: name, message: `${op}: ${name}: ${r}` })
}

const posInt = (u: unknown): boolean => typeof u === 'number' && Number.isSafeInteger(u) && u > 0

/** Checks that `loss` is a function and `batchSize` (when given) a positive integer. */
export const checkLossAndBatch = (op: string, loss: unknown, batchSize: unknown, required: boolean): InvalidOption | undefined => {
  if (typeof loss !== 'function') return invalid(op, 'loss', 'a loss function', loss)
  if ((required || batchSize !== undefined) && !posInt(batchSize)) return invalid(op, 'batchSize', 'a positive integer', batchSize)
  return undefined
}

/** The figures early stopping may monitor: `loss`, the metrics, and `val_` of each with validation data. */
const monitorable = (metrics: readonly string[], validation: boolean): readonly string[] => {
  const train = ['loss', ...metrics]
  return validation ? [...train, ...train.map((m) => `val_${m}`)] : train
}

const checkEarlyStopping = (e: EarlyStopping, metrics: readonly string[], validation: boolean): InvalidOption | undefined => {
  const bad = (field: string, expected: string, found: unknown) => invalid('fit', `earlyStopping.${field}`, expected, found)
  if (typeof e !== 'object' || e === null) return invalid('fit', 'earlyStopping', '{ monitor, patience, mode?, minDelta?, restoreBest? }', e)
  const names = monitorable(metrics, validation)
  if (typeof e.monitor !== 'string' || !names.includes(e.monitor))
    return bad('monitor', `one of ${names.join(', ')}${validation ? '' : ' (val_ figures need validation data)'}`, e.monitor)
  if (e.mode !== undefined && e.mode !== 'min' && e.mode !== 'max') return bad('mode', "'min' or 'max'", e.mode)
  if (!(typeof e.patience === 'number' && Number.isSafeInteger(e.patience) && e.patience >= 0)) return bad('patience', 'a non-negative integer', e.patience)
  if (e.minDelta !== undefined && !(typeof e.minDelta === 'number' && Number.isFinite(e.minDelta) && e.minDelta >= 0))
    return bad('minDelta', 'a non-negative finite number', e.minDelta)
  if (e.restoreBest !== undefined && typeof e.restoreBest !== 'boolean') return bad('restoreBest', 'a boolean', e.restoreBest)
  return undefined
}

/** Checks every option and both data sets of `fit`; gives the optimizer. */
export const checkFit = <P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  params: P,
  data: Data<Y>,
  o: FitOptions<Y, P>,
): Either<InvalidOption, Optimizer> => {
  if (typeof o !== 'object' || o === null) return left(invalid('fit', 'options', 'an object of options', o))
  if (!posInt(o.epochs)) return left(invalid('fit', 'epochs', 'a positive integer', o.epochs))
  const lb = checkLossAndBatch('fit', o.loss, o.batchSize, true)
  if (lb !== undefined) return left(lb)
  const lr = o.learningRate
  if (typeof lr !== 'function' && !(typeof lr === 'number' && Number.isFinite(lr) && lr > 0))
    return left(invalid('fit', 'learningRate', 'a positive finite number or a schedule', lr))
  const k = decodeKey(o.key, 'fit: option key')
  if (k._tag === 'Left') return left({ _tag: 'InvalidOption', option: 'key', message: k.left })
  if (o.signal !== undefined && (typeof o.signal !== 'object' || o.signal === null || typeof o.signal.aborted !== 'boolean'))
    return left(invalid('fit', 'signal', 'an AbortSignal', o.signal))
  for (const [name, d] of [['data', data], ['validation', o.validation]] as const) {
    if (d === undefined) continue
    const r = checkData('fit', name, model, params, d)
    if (r._tag === 'Left') return r
  }
  if (o.earlyStopping !== undefined) {
    const e = checkEarlyStopping(o.earlyStopping, Object.keys(o.metrics ?? {}), o.validation !== undefined)
    if (e !== undefined) return left(e)
  }
  try {
    return right((o.optimizer ?? ((l: LearningRate) => sgd({ lr: l })))(lr))
  } catch (e) {
    if (e instanceof RangeError) return left({ _tag: 'InvalidOption', option: 'optimizer', message: `fit: option optimizer: ${e.message}` })
    throw e
  }
}
