/**
 * Issue 13's training rows: labels checked before the first step, a learning-rate schedule that
 * gives a bad rate, keys validated at every public entry of training, evaluate on no rows.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isLeft } from 'fp-ts/lib/Either.js'
import type { Either } from 'fp-ts/lib/Either.js'
import * as L from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import { key, uniform } from '../src/Random.js'
import type { Key } from '../src/Random.js'
import { fromData, zeros } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as Tr from '../src/Train.js'
import type { FitError, LossFn } from '../src/Train.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'

const leftOf = <E, A>(e: Either<E, A>): E => {
  if (!isLeft(e)) throw new Error('expected a Left')
  return e.left
}
const right = <E, A>(e: Either<E, A>): A => {
  if (isLeft(e)) throw new Error(`expected a Right, found ${JSON.stringify(e.left)}`)
  return e.right
}
const bits = (t: Tree): readonly number[] => [...T.ravel(t)[0]]

const N = 12
const x = uniform(key(3), [N, 2], { low: -1, high: 1 })
const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]
const model = L.dense(2, 3)
const p0 = model.init(key(0))
const calls = { n: 0 }
const counting: LossFn<ArrayLike<number>> = (y) => {
  calls.n++
  return Loss.softmaxCrossEntropy(y)
}
const base = { loss: counting, metrics: { accuracy: Loss.accuracy }, epochs: 2, batchSize: 4, learningRate: 0.1, key: key(1) }

/** fit and fitAsync both refuse, before any step, with the same InvalidOption. */
const refusedBoth = async (data: { x: Tensor; y: ArrayLike<number> }, o: object): Promise<Extract<FitError<unknown>, { _tag: 'InvalidOption' }>> => {
  calls.n = 0
  const s = leftOf(Tr.fit(model, p0, data, { ...base, ...o } as typeof base))
  const a = leftOf(await Tr.fitAsync(model, p0, data, { ...base, ...o } as typeof base))
  expect(calls.n).toBe(0)
  expect(a).toEqual(s)
  if (s._tag !== 'InvalidOption') throw new Error('expected InvalidOption')
  return s
}

describe('labels are checked before the first step', () => {
  it('NaN, 1.5, 2.7 and out-of-range training labels: a Left naming the set, the row, the expected and the found', async () => {
    for (const [row, bad] of [
      [4, Number.NaN],
      [1, 1.5],
      [7, 2.7],
      [11, 3],
      [0, -1],
      [5, Number.POSITIVE_INFINITY],
    ] as const) {
      const y = labels.map((l, i) => (i === row ? bad : l))
      const e = await refusedBoth({ x, y }, {})
      expect(e.option).toBe('data')
      expect(e.message).toBe(`fit: data: label at row ${row}: expected an integer in [0, 3) (the model's 3 outputs), found ${bad}`)
    }
  })

  it('validation labels out of range: a Left before training, not a RangeError at the end of epoch 1', async () => {
    const e = await refusedBoth({ x, y: labels }, { validation: { x, y: labels.map((l, i) => (i === 9 ? 3 : l)) } })
    expect(e.option).toBe('validation')
    expect(e.message).toBe("fit: validation: label at row 9: expected an integer in [0, 3) (the model's 3 outputs), found 3")
  })

  it('the number of classes comes from the model, declared or not', async () => {
    // a layer that does not declare its output width: classes found by applying it to one row
    const opaque = L.make({ init: model.init, diff: model, spec: { kind: 'opaque' } })
    calls.n = 0
    const e = leftOf(Tr.fit(opaque, p0, { x, y: labels.map((l) => l + 1) }, base))
    expect(e.message).toBe("fit: data: label at row 2: expected an integer in [0, 3) (the model's 3 outputs), found 3")
    expect(calls.n).toBe(0)
    right(Tr.fit(opaque, p0, { x, y: labels }, base))
  })

  it('any label that is not an integer in [0, classes) is refused, any that is is accepted (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.double()), { minLength: N, maxLength: N }), (y) => {
        const ok = y.every((l) => Number.isInteger(l) && l >= 0 && l < 3)
        const r = Tr.fit(model, p0, { x, y }, { ...base, epochs: 1 })
        if (ok) expect(r._tag).toBe('Right')
        else expect(leftOf(r)).toMatchObject({ _tag: 'InvalidOption', option: 'data' })
      }),
    )
  })
})

describe('a learning-rate schedule that gives a bad rate ends fit with a Left naming the step', () => {
  for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
    it(`${bad} at update 3: BadLearningRate with the parameters after 3 updates`, async () => {
      const schedule = (t: number) => (t === 3 ? bad : 0.1)
      const o = { ...base, learningRate: schedule, shuffle: false }
      const e = leftOf(Tr.fit(model, p0, { x, y: labels }, o))
      if (e._tag !== 'BadLearningRate') throw new Error(`expected BadLearningRate, found ${e._tag}`)
      expect(e).toMatchObject({ epoch: 1, step: 0, update: 3, history: [expect.objectContaining({ epoch: 0 })] })
      expect(e.message).toBe(
        `fit: the learning-rate schedule gave ${bad} for update 3 (epoch 1, step 0), expected a finite number >= 0; training stopped, the parameters before that step are kept`,
      )
      // the last good parameters: those of a run of the same three updates
      const three = right(Tr.fit(model, p0, { x, y: labels }, { ...o, epochs: 1 }))
      expect(bits(e.params)).toEqual(bits(three.params))
      expect(e.state.step).toBe(3)
      expect(leftOf(await Tr.fitAsync(model, p0, { x, y: labels }, o))).toEqual(e)
    })
  }
})

describe('keys are validated at every public entry of training', () => {
  it('{}, {k0: 1.5, k1: -3}, untagged words, null and a number are refused by fit and fitAsync (Random.decodeKey)', async () => {
    const expected = "fit: option key: expected a Random.Key (made by Random.key(seed), fromWords, split or foldIn: { _tag: 'Key', k0, k1 } with integer words in [0, 2^32)), found "
    for (const [k, found] of [
      [{}, 'an empty object'],
      [{ k0: 1.5, k1: -3 }, '{ _tag: nothing (missing), k0: the number 1.5, k1: the number -3 }'],
      [{ _tag: 'Key', k0: 0, k1: 2 ** 32 }, "{ _tag: the string \"Key\", k0: the number 0, k1: the number 4294967296 }"],
      [{ k0: 1, k1: 2 }, '{ _tag: nothing (missing), k0: the number 1, k1: the number 2 }'],
      [null, 'null'],
      [7, 'the number 7'],
    ] as const) {
      const e = await refusedBoth({ x, y: labels }, { key: k as unknown as Key })
      expect(e.option).toBe('key')
      expect(e.message).toBe(`${expected}${found}`)
    }
    // a key that went through JSON is still a key
    right(Tr.fit(model, p0, { x, y: labels }, { ...base, key: JSON.parse(JSON.stringify(key(1))) as Key }))
  })
})

describe('evaluate', () => {
  it('on no rows is a Left, never NaN', () => {
    const e = leftOf(Tr.evaluate(model, p0, { x: zeros([0, 2]), y: [] }, { loss: Loss.softmaxCrossEntropy }))
    expect(e).toEqual({ _tag: 'InvalidOption', option: 'data', message: 'evaluate: data: expected at least one example, found 0' })
  })

  it('checks labels, targets and options as fit does', () => {
    expect(leftOf(Tr.evaluate(model, p0, { x, y: labels.map((l, i) => (i === 3 ? 0.5 : l)) }, { loss: Loss.softmaxCrossEntropy })).message).toBe(
      "evaluate: data: label at row 3: expected an integer in [0, 3) (the model's 3 outputs), found 0.5",
    )
    expect(leftOf(Tr.evaluate(model, p0, { x, y: labels.slice(1) }, { loss: Loss.softmaxCrossEntropy })).message).toBe(
      'evaluate: data: expected 12 targets (one per row of x), found 11',
    )
    expect(leftOf(Tr.evaluate(model, p0, { x, y: labels }, { loss: Loss.softmaxCrossEntropy, batchSize: 0 })).message).toBe(
      'evaluate: option batchSize: expected a positive integer, found 0',
    )
  })

  it('gives the means over the rows', () => {
    const r = right(Tr.evaluate(model, p0, { x, y: labels }, { loss: Loss.softmaxCrossEntropy, metrics: { accuracy: Loss.accuracy }, batchSize: 5 }))
    const out = model.apply([p0, x])
    expect(r.loss).toBeCloseTo(Loss.softmaxCrossEntropy(labels).apply(out), 14)
    expect(r.metrics['accuracy']).toBeCloseTo(Loss.accuracy(labels)(out), 14)
  })
})

describe('regression targets are not labels', () => {
  it('a tensor of targets is not checked as labels', () => {
    const lin = L.dense(2, 1)
    right(Tr.fit(lin, lin.init(key(0)), { x, y: fromData([N, 1], Array.from({ length: N }, (_, i) => i * 0.5)) }, { ...base, loss: Loss.mse, metrics: {} }))
  })
})
