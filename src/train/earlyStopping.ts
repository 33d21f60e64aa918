/**
 * Early stopping as a pure state transition: after each epoch, the monitored figure of its record
 * either improves on the best so far (by more than `minDelta`) or adds one to the wait; training
 * stops when the wait reaches `patience`, as Keras' `EarlyStopping` does.
 *
 * @internal
 * @packageDocumentation
 */
import type { OptimizerState } from '../Optimizer.js'
import type { Best } from './results.js'
import type { EarlyStopping, EpochRecord } from './types.js'

/** What early stopping remembers between epochs: the best epoch and what it had, and the wait. */
export interface Watch<P> {
  readonly best: Best | undefined
  readonly kept: { readonly params: P; readonly state: OptimizerState<P> } | undefined
  readonly wait: number
}

/** Nothing seen yet. */
export const unwatched: Watch<never> = { best: undefined, kept: undefined, wait: 0 }

/** The monitored figure of a record (`loss`, a metric, or either prefixed `val_`); NaN if absent. */
const figure = (monitor: string, r: EpochRecord): number => {
  const val = monitor.startsWith('val_')
  const name = val ? monitor.slice(4) : monitor
  const e = val ? r.validation : r
  if (e === undefined) return NaN
  return name === 'loss' ? e.loss : (e.metrics[name] ?? NaN)
}

/** Whether lower is better: the given mode, else `min` for a loss and `max` for a metric. */
const minimises = (e: EarlyStopping): boolean => (e.mode ?? (e.monitor === 'loss' || e.monitor === 'val_loss' ? 'min' : 'max')) === 'min'

/**
 * The watch after epoch `record` that ended with `params` and `state`, and whether to stop. A
 * NaN figure never improves.
 */
export const observe =
  (e: EarlyStopping) =>
  <P>(w: Watch<P>, record: EpochRecord, params: P, state: OptimizerState<P>): readonly [Watch<P>, boolean] => {
    const v = figure(e.monitor, record)
    const d = e.minDelta ?? 0
    const ref = w.best?.value ?? (minimises(e) ? Infinity : -Infinity)
    const improved = minimises(e) ? v < ref - d : v > ref + d
    if (improved) return [{ best: { monitor: e.monitor, epoch: record.epoch, value: v }, kept: { params, state }, wait: 0 }, false]
    const wait = w.wait + 1
    return [{ ...w, wait }, wait >= e.patience && record.epoch > 0]
  }
