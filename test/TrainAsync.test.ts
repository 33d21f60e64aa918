import { describe, expect, it } from 'vitest'
import { isLeft } from 'fp-ts/lib/Either.js'
import type { Either } from 'fp-ts/lib/Either.js'
import * as Act from '../src/Activation.js'
import * as L from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import * as O from '../src/Optimizer.js'
import { key, uniform } from '../src/Random.js'
import type { LearningRate } from '../src/Schedule.js'
import { fromData } from '../src/Tensor.js'
import * as Tr from '../src/Train.js'
import type { EpochRecord, EpochReport, FitAsyncOptions, FitResult, Progress } from '../src/Train.js'
import { drive } from '../src/train/fit.js'
import { pauses } from '../src/train/pause.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'

const right = <E, A>(e: Either<E, A>): A => {
  if (isLeft(e)) throw new Error(`expected a Right, found ${JSON.stringify(e.left)}`)
  return e.right
}
const bits = (t: Tree): readonly number[] => [...T.ravel(t)[0]]

// a three-class problem: the class is the argmax of a fixed linear map of the features
const N = 96
const xs = uniform(key(42), [N, 4], { low: -1, high: 1 })
const W = [
  [1, -1, 0.5],
  [0.3, 0.8, -1],
  [-0.7, 0.2, 0.9],
  [0.1, -0.4, 0.6],
]
const labels = Int32Array.from({ length: N }, (_, r) => {
  const s = [0, 1, 2].map((c) => W.reduce((acc, w, k) => acc + xs.data[4 * r + k]! * w[c]!, 0))
  return s.indexOf(Math.max(...s))
})
const data = { x: xs, y: labels }
const valid = { x: fromData([16, 4], xs.data.slice(0, 64)), y: labels.slice(0, 16) }
const model = L.sequential(L.dense(4, 16, { init: 'he' }), L.activation(Act.relu), L.dense(16, 3))
const p0 = model.init(key(1))
const options: FitAsyncOptions<Int32Array, typeof p0> = {
  loss: Loss.softmaxCrossEntropy,
  metrics: { accuracy: Loss.accuracy },
  epochs: 6,
  batchSize: 10,
  learningRate: 0.02,
  optimizer: (lr: LearningRate) => O.adam({ lr }),
  key: key(7),
  validation: valid,
}

const sameRun = <P extends Tree>(a: FitResult<P>, b: FitResult<P>): void => {
  expect(bits(a.params)).toEqual(bits(b.params))
  expect(a.state.step).toBe(b.state.step)
  expect(a.state.slots.map(bits)).toEqual(b.state.slots.map(bits))
  expect(a.history).toEqual(b.history)
  expect(a.stopped).toEqual(b.stopped)
}

describe('fitAsync', () => {
  it('gives bit for bit what fit gives, whatever the yielding mechanism and slice', async () => {
    const sync = right(Tr.fit(model, p0, data, options))
    expect(sync.stopped).toEqual({ reason: 'completed' })
    sameRun(right(await Tr.fitAsync(model, p0, data, options)), sync)
    const present = Object.values(pauses).filter((p) => p !== undefined)
    expect(present.length).toBeGreaterThanOrEqual(3) // setImmediate, MessageChannel, setTimeout on Node
    for (const pause of present)
      for (const yieldEveryMs of [0, 5]) sameRun(right(await drive(pause)(model, p0, data, { ...options, yieldEveryMs })), sync)
  })

  it('reports every step and every epoch, with the same figures as fit', async () => {
    const record = () => {
      const steps: Progress[] = []
      const epochs: EpochReport[] = []
      return { steps, epochs, o: { ...options, onStep: (p: Progress) => steps.push(p), onEpoch: (e: EpochReport) => epochs.push(e) } }
    }
    const a = record()
    const b = record()
    const sync = right(Tr.fit(model, p0, data, a.o))
    right(await Tr.fitAsync(model, p0, data, { ...b.o, yieldEveryMs: 0 }))
    const timeless = (p: Progress) => ({ ...p, samplesPerSecond: 0 })
    expect(b.steps.map(timeless)).toEqual(a.steps.map(timeless))
    expect(a.steps).toHaveLength(6 * 10)
    expect(b.epochs).toHaveLength(6)
    b.epochs.forEach((e, i) => {
      const { steps, seconds, samplesPerSecond, ...rec } = e
      expect(rec).toEqual(sync.history[i])
      expect(steps).toBe(10)
      expect(seconds).toBeGreaterThan(0)
      expect(samplesPerSecond).toBeCloseTo(N / seconds, 6)
    })
  })

  it('lets the event loop run between steps, where fit does not', async () => {
    const seen = (o: typeof options) => {
      let fired = false
      setTimeout(() => (fired = true), 0)
      const during: boolean[] = []
      return { o: { ...o, epochs: 20, onStep: () => during.push(fired) }, during }
    }
    const s = seen(options)
    right(Tr.fit(model, p0, data, s.o))
    expect(s.during.some((f) => f)).toBe(false)
    const a = seen(options)
    right(await Tr.fitAsync(model, p0, data, { ...a.o, yieldEveryMs: 0 }))
    expect(a.during.some((f) => f)).toBe(true)
    expect(a.during.at(-1)).toBe(true)
  })

  it('aborting gives a Right with the parameters after the last step and the completed epochs, never a rejection', async () => {
    const controller = new AbortController()
    const full = right(Tr.fit(model, p0, data, options))
    // abort during epoch 2, after its step 3: the run ends before step 4
    const r = right(
      await Tr.fitAsync(model, p0, data, {
        ...options,
        yieldEveryMs: 0,
        signal: controller.signal,
        onStep: (p) => {
          if (p.epoch === 2 && p.step === 3) controller.abort()
        },
      }),
    )
    expect(r.stopped).toEqual({ reason: 'aborted', epoch: 2, step: 4 })
    expect(r.history).toEqual(full.history.slice(0, 2))
    expect(r.state.step).toBe(2 * 10 + 4)
    // the same parameters as a synchronous run of the same steps (fit honours the signal too)
    const again = new AbortController()
    const sync = right(
      Tr.fit(model, p0, data, {
        ...options,
        signal: again.signal,
        onStep: (p) => {
          if (p.epoch === 2 && p.step === 3) again.abort()
        },
      }),
    )
    sameRun(r, sync)
    // resuming from there with the rest of the batches is possible: the state is whole
    expect(bits(r.state.slots[0]!).every(Number.isFinite)).toBe(true)
  })

  it('an aborted signal before the start returns the initial parameters and no history', async () => {
    const controller = new AbortController()
    controller.abort()
    const r = right(await Tr.fitAsync(model, p0, data, { ...options, signal: controller.signal }))
    expect(r.stopped).toEqual({ reason: 'aborted', epoch: 0, step: 0 })
    expect(r.history).toEqual([])
    expect(bits(r.params)).toEqual(bits(p0))
    expect(r.state.step).toBe(0)
  })

  it('refusals are Lefts, as with fit, and yieldEveryMs is checked', async () => {
    const e = await Tr.fitAsync(model, p0, data, { ...options, epochs: 0 })
    expect(isLeft(e) && e.left.message).toBe('fit: option epochs: expected a positive integer, found 0')
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const y = await Tr.fitAsync(model, p0, data, { ...options, yieldEveryMs: bad })
      expect(isLeft(y) && y.left.message).toBe(`fit: option yieldEveryMs: expected a non-negative finite number, found ${bad}`)
    }
  })
})

/** Keras' EarlyStopping over a finished history: the epoch it stops at (or undefined) and the best epoch. */
const kerasStop = (history: readonly EpochRecord[], figure: (r: EpochRecord) => number, mode: 'min' | 'max', patience: number, minDelta: number) => {
  let best = mode === 'min' ? Infinity : -Infinity
  let bestEpoch: number | undefined
  let wait = 0
  for (const r of history) {
    const v = figure(r)
    if (mode === 'min' ? v < best - minDelta : v > best + minDelta) {
      best = v
      bestEpoch = r.epoch
      wait = 0
    } else if (++wait >= patience && r.epoch > 0) return { stop: r.epoch, bestEpoch }
  }
  return { stop: undefined, bestEpoch }
}

describe('early stopping', () => {
  // a validation set whose labels are shifted: the better the model learns, the worse it scores there
  const adversarial = { x: valid.x, y: valid.y.map((l) => (l + 1) % 3) }
  const o = { ...options, epochs: 12, validation: adversarial }
  const full = right(Tr.fit(model, p0, data, o))

  it('stops once val_loss has not improved for patience epochs, as Keras does', () => {
    const expected = kerasStop(full.history, (r) => r.validation!.loss, 'min', 2, 0)
    expect(expected.stop).toBeDefined()
    const r = right(Tr.fit(model, p0, data, { ...o, earlyStopping: { monitor: 'val_loss', patience: 2 } }))
    expect(r.stopped).toEqual({ reason: 'earlyStopping', epoch: expected.stop })
    expect(r.history).toEqual(full.history.slice(0, expected.stop! + 1))
    expect(r.best).toEqual({ monitor: 'val_loss', epoch: expected.bestEpoch, value: full.history[expected.bestEpoch!]!.validation!.loss })
  })

  it('restoreBest returns the best epoch’s parameters and state', async () => {
    const r = right(await Tr.fitAsync(model, p0, data, { ...o, earlyStopping: { monitor: 'val_loss', patience: 2, restoreBest: true } }))
    const best = r.best!.epoch
    const upToBest = right(Tr.fit(model, p0, data, { ...o, epochs: best + 1 }))
    expect(bits(r.params)).toEqual(bits(upToBest.params))
    expect(r.state.step).toBe(upToBest.state.step)
    expect(r.history.length).toBeGreaterThan(best + 1)
  })

  it('a metric is maximised by default, and minDelta counts as no improvement', () => {
    const outcomes = new Set<string>()
    for (const [monitor, figure] of [
      ['accuracy', (r: EpochRecord) => r.metrics['accuracy']!],
      ['val_accuracy', (r: EpochRecord) => r.validation!.metrics['accuracy']!],
    ] as const)
      for (const patience of [0, 1, 3, 12])
        for (const minDelta of [0, 0.02, 1]) {
          const expected = kerasStop(full.history, figure, 'max', patience, minDelta)
          const r = right(Tr.fit(model, p0, data, { ...o, earlyStopping: { monitor, patience, minDelta } }))
          const stoppedAt = expected.stop === undefined || expected.stop === o.epochs - 1 ? undefined : expected.stop
          expect(r.stopped).toEqual(stoppedAt === undefined ? { reason: 'completed' } : { reason: 'earlyStopping', epoch: stoppedAt })
          expect(r.best?.epoch).toBe(expected.bestEpoch)
          outcomes.add(r.stopped.reason)
        }
    expect([...outcomes].sort()).toEqual(['completed', 'earlyStopping'])
  })

  it('refuses a monitor that names no figure, and bad patience, mode or minDelta', () => {
    const refused = (earlyStopping: object, validation = true) => {
      const r = Tr.fit(model, p0, data, { ...o, ...(validation ? {} : { validation: undefined }), earlyStopping } as typeof o)
      if (!isLeft(r)) throw new Error('expected a Left')
      return r.left.message
    }
    expect(refused({ monitor: 'val_acc', patience: 1 })).toBe(
      'fit: option earlyStopping.monitor: expected one of loss, accuracy, val_loss, val_accuracy, found "val_acc"',
    )
    const { validation: _, ...noValidation } = o
    const r = Tr.fit(model, p0, data, { ...noValidation, earlyStopping: { monitor: 'val_loss', patience: 1 } })
    expect(isLeft(r) && r.left.message).toBe(
      'fit: option earlyStopping.monitor: expected one of loss, accuracy (val_ figures need validation data), found "val_loss"',
    )
    expect(refused({ monitor: 'loss', patience: -1 })).toBe('fit: option earlyStopping.patience: expected a non-negative integer, found -1')
    expect(refused({ monitor: 'loss', patience: 1, mode: 'auto' })).toBe("fit: option earlyStopping.mode: expected 'min' or 'max', found \"auto\"")
    expect(refused({ monitor: 'loss', patience: 1, minDelta: Number.NaN })).toBe('fit: option earlyStopping.minDelta: expected a non-negative finite number, found NaN')
  })
})
