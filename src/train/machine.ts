/**
 * The one training machine both `fit` and `fitAsync` drive: a generator that runs a step per
 * `next()` and pauses after each (and after each epoch's validation), so that the synchronous
 * fold runs it straight through and the asynchronous one yields to the event loop between
 * pauses, with the same arithmetic in the same order, hence bit-identical results.
 *
 * Between two pauses the machine's state (parameters, optimizer state, history) is whole: a step
 * either completes or leaves it as it was, so stopping at any pause (abort, early stopping, a
 * failure) returns consistent, last-good values.
 *
 * @internal
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import type { Layer } from '../Layer.js'
import type { Optimizer, OptimizerState } from '../Optimizer.js'
import { foldIn } from '../Random.js'
import type { Tensor } from '../Tensor.js'
import * as T from '../Tree.js'
import type { Tree } from '../Tree.js'
import { batchIndices } from '../data/Split.js'
import { isSealed } from '../diff/sealed.js'
import { giveUp, takeOne, takeUp, withSpares } from '../kernels/spares.js'
import { withUnchanged } from '../kernels/unchanged.js'
import { borrowsInput, hasFreshGradients } from '../layer/fresh.js'
import { consumeOf } from '../optimizer/consume.js'
import type { Watch } from './earlyStopping.js'
import { observe, unwatched } from './earlyStopping.js'
import { evaluateChecked } from './evaluate.js'
import { inOrder, takeRows, takeTargets } from './rows.js'
import type { StepFailure } from './step.js'
import { trainStep } from './step.js'
import type { FitError, FitResult, Stop } from './results.js'
import type { Data, EpochRecord, FitOptions, Targets } from './types.js'

/** The subject of a non-finite message, singular: one element failed. */
const failed: { readonly [W in StepFailure['what']]: string } = { loss: 'the loss', gradient: 'the gradient', parameters: 'the updated parameter' }

/** The most arrays the loop keeps to lend (more than a step of the models we know makes). */
const SPARES = 64

/** The arrays of the tensor leaves of `tree`. */
const arraysOf = (tree: unknown): Float64Array[] => T.leaves(tree as Tree).flatMap((l) => (typeof l === 'number' ? [] : [l.data as Float64Array]))

/** The outcome of a run of the machine. */
export type Outcome<P> = Either<FitError<P>, FitResult<P>>

/**
 * Training of `model` from `params` on checked `data` and `options`, as a generator: each
 * `next()` runs one step (or one epoch's end) and the return value is the outcome.
 */
export function* training<P extends Tree, Y extends Targets>(
  model: Layer<P, Tensor, Tensor>,
  params: P,
  data: Data<Y>,
  options: FitOptions<Y, P>,
  optimizer: Optimizer,
): Generator<void, Outcome<P>, void> {
  const { epochs, batchSize, loss, key, onStep, onEpoch, validation, signal, earlyStopping } = options
  const metrics = options.metrics ?? {}
  const names = Object.keys(metrics)
  const n = data.x.shape[0]!
  const schedule = typeof options.learningRate === 'function' ? options.learningRate : undefined
  const step = trainStep<P, Y>(model, loss, optimizer)
  const watchEpoch = earlyStopping === undefined ? undefined : observe(earlyStopping)
  const ordered = options.shuffle === false ? inOrder(n, batchSize) : undefined
  // parameters this loop made and then replaced are held by no one when the library's layers (which
  // keep nothing of them) are updated by SGD (no state) and no early stopping keeps a best: the
  // next step's products may take their arrays (see kernels/spares.ts)
  const recycles = hasFreshGradients(model) && consumeOf(optimizer) !== undefined && earlyStopping === undefined
  // the batch is this loop's own array (gathered below), which only the model reads, and the loss
  // if the model hands it on: the library's own (sealed) never write it, so the kernels may copy it
  // into Wasm memory once a step for the products going forward and back (kernels/unchanged.ts)
  const steady = isSealed(model) && isSealed(loss)
  // a step in which only sealed code runs (the library's layers, loss and SGD: diff/sealed.ts) keeps
  // nothing it made but what it returns: the rest is lent to the next step, and to the next
  // training loop of this job when this one ends (kernels/spares.ts)
  const closed = steady && consumeOf(optimizer) !== undefined
  let spares: Float64Array[] = closed || recycles ? takeUp() : []
  // a model that only borrows its input (see layer/fresh.ts) gets every batch in the same array
  const width = n === 0 ? 0 : data.x.data.length / n
  const rows = borrowsInput(model) ? takeOne(spares, Math.min(batchSize, n) * width) : undefined
  let made = false
  let state: OptimizerState<P> = options.state ?? optimizer.init(params)
  let p = params
  let watch: Watch<P> = unwatched
  const history: EpochRecord[] = []

  const halted = (epoch: number, s: number) => ({ epoch, step: s, params: p, state, history: Object.freeze(history.slice()) })
  /** The outcome, once this loop's own arrays (held by nothing it returns) are given up. */
  const end = (o: Outcome<P>): Outcome<P> => {
    giveUp(rows === undefined ? spares : [...spares, rows])
    return o
  }
  const done = (stopped: Stop): Outcome<P> => {
    const keep = stopped.reason !== 'aborted' && earlyStopping?.restoreBest === true && watch.kept !== undefined ? watch.kept : { params: p, state }
    return end(right(Object.freeze({ ...keep, history: Object.freeze(history.slice()), stopped, ...(watch.best === undefined ? {} : { best: watch.best }) })))
  }

  for (let epoch = 0; epoch < epochs; epoch++) {
    const batches = ordered ?? batchIndices(foldIn(key, epoch), n, batchSize)
    const t0 = performance.now()
    let seen = 0
    let lossSum = 0
    const sums = new Array<number>(names.length).fill(0)
    for (let s = 0; s < batches.length; s++) {
      if (signal?.aborted === true) return done({ reason: 'aborted', epoch, step: s })
      if (schedule !== undefined) {
        const rate: unknown = schedule(state.step)
        if (!(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0))
          return end(left({
            _tag: 'BadLearningRate',
            ...halted(epoch, s),
            update: state.step,
            value: rate,
            message: `fit: the learning-rate schedule gave ${String(rate)} for update ${state.step} (epoch ${epoch}, step ${s}), expected a finite number >= 0; training stopped, the parameters before that step are kept`,
          }))
      }
      const idx = batches[s]!
      const y = takeTargets(data.y, idx)
      const xs = takeRows(data.x, idx, rows)
      const run = (): ReturnType<typeof step> => step(state, p, xs, y)
      const lent = withSpares(spares, steady ? () => withUnchanged([xs.data], run) : run)
      const r = lent.value
      if (r._tag === 'Left') {
        spares = lent.unused.slice()
        const { what, path, value } = r.left
        return end(left({
          _tag: 'NonFinite',
          ...halted(epoch, s),
          what,
          path,
          value,
          message: `fit: ${failed[what]}${what === 'loss' ? '' : ` at ${path}`} is ${value} at epoch ${epoch}, step ${s}; training stopped, the parameters before that step are kept`,
        }))
      }
      const { loss: l, output } = r.right
      state = r.right.state
      // what the step made, and the parameters it replaced (when this loop made them), but for what
      // it returns (which the callbacks and the caller may keep)
      const freed = [...(closed ? lent.made : []), ...(recycles && made ? arraysOf(p) : [])]
      spares = []
      if (freed.length > 0) {
        const held = new Set([...arraysOf(r.right.params), ...arraysOf(r.right.state.slots), output.data].map((a) => a.buffer))
        for (const a of freed) if (!held.has(a.buffer)) spares.push(a)
      }
      // then those lent and not taken, as long as the list is not longer than a pool: an array of a
      // length no step takes is dropped in time, so memory stays bounded however long the run
      for (const a of lent.unused) if (spares.length < SPARES) spares.push(a)
      made = true
      p = r.right.params
      seen += idx.length
      lossSum += l * idx.length
      const m: { [name: string]: number } = {}
      for (let j = 0; j < names.length; j++) {
        const v = metrics[names[j]!]!(y)(output)
        m[names[j]!] = v
        sums[j] = sums[j]! + v * idx.length
      }
      if (onStep !== undefined) {
        const dt = (performance.now() - t0) / 1000
        onStep(Object.freeze({ epoch, step: s, steps: batches.length, loss: l, metrics: Object.freeze(m), accuracy: m['accuracy'], samplesPerSecond: dt > 0 ? seen / dt : Infinity }))
      }
      yield
    }
    const seconds = (performance.now() - t0) / 1000
    const record: EpochRecord = Object.freeze({
      epoch,
      loss: lossSum / seen,
      metrics: Object.freeze(Object.fromEntries(names.map((k, j) => [k, sums[j]! / seen]))),
      ...(validation !== undefined ? { validation: evaluateChecked(model, p, validation, { loss, metrics, batchSize: Math.max(batchSize, 1024) }) } : {}),
    })
    history.push(record)
    onEpoch?.(Object.freeze({ ...record, steps: batches.length, seconds, samplesPerSecond: seconds > 0 ? seen / seconds : Infinity }))
    if (watchEpoch !== undefined) {
      const [w, stop] = watchEpoch(watch, record, p, state)
      watch = w
      if (stop && epoch < epochs - 1) return done({ reason: 'earlyStopping', epoch })
    }
    yield
  }
  return done({ reason: 'completed' })
}
