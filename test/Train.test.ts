import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import type { Either } from 'fp-ts/lib/Either.js'
import * as Act from '../src/Activation.js'
import * as D from '../src/Diff.js'
import * as L from '../src/Layer.js'
import * as O from '../src/Optimizer.js'
import { key, uniform } from '../src/Random.js'
import * as S from '../src/Schedule.js'
import { fromData, tensor } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as Tr from '../src/Train.js'
import type { FitError, LossFn, Progress } from '../src/Train.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import * as Loss from '../src/Loss.js'
import { mean } from '../src/ops/reduce.js'
import { scalarValue } from '../laws/index.js'

const mse: LossFn<Tensor> = Loss.mse
const accuracy = Loss.accuracy

const right = <E, A>(e: Either<E, A>): A => {
  if (isLeft(e)) throw new Error(`expected a Right, found ${JSON.stringify(e.left, (_k, v) => (typeof v === 'object' && v !== null && 'data' in v ? '<tensor>' : v))}`)
  return e.right
}
const leftOf = <E, A>(e: Either<E, A>): E => {
  if (!isLeft(e)) throw new Error('expected a Left')
  return e.left
}
const bits = (t: Tree): readonly number[] => [...T.ravel(t)[0]]

// a linear regression problem: y = x A + c, plus a little deterministic "noise"
const N = 64
const xs = uniform(key(42), [N, 3], { low: -1, high: 1 })
const A = [
  [1, -2],
  [0.5, 0.3],
  [-1, 1],
]
const ys = fromData(
  [N, 2],
  Array.from({ length: 2 * N }, (_, i) => {
    const r = Math.floor(i / 2)
    const c = i % 2
    let s = c === 0 ? 0.5 : -0.25
    for (let k = 0; k < 3; k++) s += xs.data[3 * r + k]! * A[k]![c]!
    return s + 0.01 * Math.sin(11 * i)
  }),
)
const regression = { x: xs, y: ys }
const linear = L.dense(3, 2)

const baseOptions = { loss: mse, epochs: 30, batchSize: 8, learningRate: 0.1, key: key(5) }

describe('fit', () => {
  it('learns a linear regression (the loss falls by orders of magnitude)', () => {
    const r = right(Tr.fit(linear, linear.init(key(0)), regression, baseOptions))
    expect(r.history.length).toBe(30)
    expect(r.history[29]!.loss).toBeLessThan(1e-3 * r.history[0]!.loss)
    r.params.w.data.forEach((v, i) => expect(Math.abs(v - A[Math.floor(i / 2)]![i % 2]!)).toBeLessThan(0.02))
    expect(Math.abs(r.params.b.data[0]! - 0.5)).toBeLessThan(0.02)
    expect(Math.abs(r.params.b.data[1]! + 0.25)).toBeLessThan(0.02)
    expect(r.state.step).toBe(30 * 8)
  })

  it('is bit-identical for the same key, and differs for another key', () => {
    const model = L.sequential(L.dense(3, 8, { init: 'he' }), L.activation(Act.relu), L.dense(8, 2))
    const run = (seed: number) =>
      right(
        Tr.fit(model, model.init(key(1)), regression, {
          ...baseOptions,
          epochs: 3,
          key: key(seed),
          optimizer: (lr) => O.adam({ lr }),
          learningRate: 0.01,
          validation: regression,
        }),
      )
    const a = run(9)
    const b = run(9)
    const c = run(10)
    expect(bits(a.params)).toEqual(bits(b.params))
    expect(a.state.slots.map(bits)).toEqual(b.state.slots.map(bits))
    expect(a.history).toEqual(b.history)
    expect(bits(c.params)).not.toEqual(bits(a.params))
  })

  it('is a fold over the batches: the same as trainStep over batchIndices by foldIn(key, epoch)', async () => {
    const { batchIndices } = await import('../src/data/Split.js')
    const { foldIn } = await import('../src/Random.js')
    const opt = O.momentum({ lr: 0.05 })
    const p0 = linear.init(key(2))
    const fitted = right(Tr.fit(linear, p0, regression, { ...baseOptions, epochs: 2, learningRate: 0.05, optimizer: (lr) => O.momentum({ lr }) }))
    const step = Tr.trainStep(linear, mse, opt)
    let s = opt.init(p0)
    let p = p0
    for (let e = 0; e < 2; e++)
      for (const idx of batchIndices(foldIn(baseOptions.key, e), N, 8)) {
        const x = fromData([idx.length, 3], idx.flatMap((i) => [...xs.data.subarray(3 * i, 3 * i + 3)]))
        const y = fromData([idx.length, 2], idx.flatMap((i) => [...ys.data.subarray(2 * i, 2 * i + 2)]))
        const r = right(step(s, p, x, y))
        s = r.state
        p = r.params
      }
    expect(bits(fitted.params)).toEqual(bits(p))
  })

  it('history: epoch means of the batch losses and metrics, and validation figures from evaluate', () => {
    const labels = Int32Array.from({ length: N }, (_, i) => (ys.data[2 * i]! > ys.data[2 * i + 1]! ? 0 : 1))
    const model = L.dense(3, 2)
    const loss: LossFn<ArrayLike<number>> = Loss.softmaxCrossEntropy
    const reports: Progress[] = []
    const r = right(
      Tr.fit(model, model.init(key(3)), { x: xs, y: labels }, {
        loss,
        metrics: { accuracy },
        epochs: 4,
        batchSize: 10,
        learningRate: 0.2,
        key: key(4),
        validation: { x: xs, y: labels },
        onStep: (p) => reports.push(p),
      }),
    )
    expect(reports.length).toBe(4 * 7)
    expect(reports.map((p) => [p.epoch, p.step])).toEqual(Array.from({ length: 28 }, (_, i) => [Math.floor(i / 7), i % 7]))
    expect(reports.every((p) => p.steps === 7 && p.samplesPerSecond > 0 && p.accuracy === p.metrics['accuracy'])).toBe(true)
    for (let e = 0; e < 4; e++) {
      const ps = reports.filter((p) => p.epoch === e)
      const sizes = ps.map((p) => (p.step < 6 ? 10 : 4))
      const wmean = (f: (p: Progress) => number) => ps.reduce((s, p, i) => s + f(p) * sizes[i]!, 0) / N
      expect(r.history[e]!.loss).toBeCloseTo(wmean((p) => p.loss), 14)
      expect(r.history[e]!.metrics['accuracy']).toBeCloseTo(wmean((p) => p.accuracy!), 14)
    }
    const last = r.history[3]!
    expect(last.validation).toEqual(right(Tr.evaluate(model, r.params, { x: xs, y: labels }, { loss, metrics: { accuracy } })))
    expect(last.validation!.metrics['accuracy']).toBeGreaterThan(0.8)
  })

  it('without shuffling, batches come in order', () => {
    const seen: number[] = []
    const loss: LossFn<Tensor> = (y) => {
      seen.push(y.data[0]!)
      return mse(y)
    }
    right(Tr.fit(linear, linear.init(key(0)), regression, { ...baseOptions, loss, epochs: 1, shuffle: false }))
    expect(seen).toEqual(Array.from({ length: 8 }, (_, b) => ys.data[2 * 8 * b]!))
  })

  it('resumes from a state: two runs of one epoch equal one run of two epochs with shuffle off', () => {
    const o = { ...baseOptions, shuffle: false, optimizer: (lr: S.LearningRate) => O.adam({ lr }), learningRate: 0.01 }
    const two = right(Tr.fit(linear, linear.init(key(0)), regression, { ...o, epochs: 2 }))
    const one = right(Tr.fit(linear, linear.init(key(0)), regression, { ...o, epochs: 1 }))
    const again = right(Tr.fit(linear, one.params, regression, { ...o, epochs: 1, state: one.state }))
    expect(bits(again.params)).toEqual(bits(two.params))
  })
})

describe('fit refuses bad options before training, naming the option', () => {
  const calls: number[] = []
  const counting: LossFn<Tensor> = (y) => {
    calls.push(1)
    return mse(y)
  }
  const refused = (o: object, data: { x: Tensor; y: Tensor } = regression) => {
    calls.length = 0
    const e = leftOf(Tr.fit(linear, linear.init(key(0)), data, { ...baseOptions, loss: counting, ...o } as typeof baseOptions))
    expect(calls.length).toBe(0)
    expect(e._tag).toBe('InvalidOption')
    return e as Extract<FitError<unknown>, { _tag: 'InvalidOption' }>
  }

  it('epochs, batchSize and learningRate must be positive finite numbers (integers where needed)', () => {
    for (const [option, bad, expected] of [
      ['epochs', 0, 'a positive integer'],
      ['epochs', 2.5, 'a positive integer'],
      ['epochs', Number.POSITIVE_INFINITY, 'a positive integer'],
      ['batchSize', -8, 'a positive integer'],
      ['batchSize', Number.NaN, 'a positive integer'],
      ['learningRate', 0, 'a positive finite number or a schedule'],
      ['learningRate', Number.NaN, 'a positive finite number or a schedule'],
      ['learningRate', Number.POSITIVE_INFINITY, 'a positive finite number or a schedule'],
      ['learningRate', '0.1', 'a positive finite number or a schedule'],
    ] as const) {
      const e = refused({ [option]: bad })
      expect(e.option).toBe(option)
      expect(e.message).toBe(`fit: option ${option}: expected ${expected}, found ${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)}`)
    }
  })

  it('any non-positive or non-finite number is refused (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('epochs', 'batchSize', 'learningRate'),
        // every non-positive double (fc.double: mostly tiny or huge), ordinary ones spread evenly, and the non-finite
        fc.oneof(fc.double({ max: 0 }), scalarValue({ min: -100, max: 0 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)),
        (option, bad) => {
          expect(refused({ [option]: bad }).option).toBe(option)
        },
      ),
    )
  })

  it('optimizer hyperparameters, the key and the data are checked too', () => {
    expect(refused({ optimizer: (lr: S.LearningRate) => O.momentum({ lr, momentum: 2 }) }).message).toMatch(
      /^fit: option optimizer: Optimizer.momentum: expected momentum to be a number in \[0, 1\), found 2$/,
    )
    expect(refused({ key: undefined }).message).toMatch(/^fit: option key: expected a Random\.Key \(.*\), found nothing \(missing\)$/)
    expect(refused({}, { x: xs, y: fromData([3, 2], [1, 2, 3, 4, 5, 6]) }).message).toBe('fit: data: expected 64 targets (one per row of x), found 3')
    expect(refused({}, { x: fromData([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), y: fromData([2, 2], [1, 2, 3, 4]) }).message).toBe(
      "fit: data: expected 3 features per example (the model's input width), found 4",
    )
    expect(refused({ validation: { x: xs, y: fromData([1, 2], [1, 2]) } }).option).toBe('validation')
  })
})

describe('fit stops on a non-finite loss or gradient', () => {
  it('a learning rate that diverges: Left naming the epoch, the step and the value, with finite last parameters', () => {
    const r = Tr.fit(linear, linear.init(key(0)), regression, { ...baseOptions, learningRate: 1e3 })
    const e = leftOf(r)
    if (e._tag !== 'NonFinite') throw new Error('expected NonFinite')
    const subject = { loss: 'the loss', gradient: `the gradient at ${e.path}`, parameters: `the updated parameter at ${e.path}` }[e.what]
    expect(e.message).toBe(
      `fit: ${subject} is ${e.value} at epoch ${e.epoch}, step ${e.step}; training stopped, the parameters before that step are kept`,
    )
    expect(Number.isFinite(e.value)).toBe(false)
    expect(bits(e.params).every(Number.isFinite)).toBe(true)
    expect(e.history.length).toBe(e.epoch)
    // the last good parameters are those of a replay up to that step
    const replay = Tr.fit(linear, linear.init(key(0)), regression, { ...baseOptions, learningRate: 1e3, epochs: e.epoch + 1 })
    expect(leftOf(replay)).toEqual(e)
  })

  it('a NaN in the data: the loss is named, at the batch that holds it', () => {
    const bad = fromData([N, 3], xs.data.map((v, i) => (i === 3 * 40 ? Number.NaN : v)))
    const e = leftOf(Tr.fit(linear, linear.init(key(0)), { x: bad, y: ys }, { ...baseOptions, shuffle: false }))
    expect(e).toMatchObject({ _tag: 'NonFinite', epoch: 0, step: 5, what: 'loss', path: '$' })
    expect(Number.isNaN((e as { value: number }).value)).toBe(true)
    expect(e.message).toMatch(/^fit: the loss is NaN at epoch 0, step 5; /)
  })

  it('a gradient that overflows while the loss is finite: the gradient is named with its path', () => {
    // a deliberately inconsistent loss: its value is 1e-300 mean(out), but its pullback scales by
    // 1e300, so the gradient of w (x^T g with x ~ 1e10) overflows while the loss is finite
    const huge: LossFn<Tensor> = () =>
      D.flow(mean(), D.linear<Tensor, number>((t) => t.data[0]! * 1e-300, (c) => fromData([], [c * 1e300])))
    const big = fromData([N, 3], xs.data.map((v) => v * 1e10))
    const e = leftOf(Tr.fit(linear, linear.init(key(0)), { x: big, y: ys }, { ...baseOptions, loss: huge }))
    expect(e).toMatchObject({ _tag: 'NonFinite', epoch: 0, step: 0, what: 'gradient' })
    expect((e as { path: string }).path).toMatch(/^\$\.[bw]\[/)
    expect(e.message).toMatch(/^fit: the gradient at \$\.[bw]\[[\d, ]+\] is (-?Infinity|NaN) at epoch 0, step 0; /)
  })
})
