import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { pipe } from 'fp-ts/lib/function.js'
import { classCounts, dataset, features, mapX, size, take } from '../src/data/Dataset.js'
import type { Dataset } from '../src/data/Dataset.js'
import { oneHot } from '../src/data/Encode.js'
import { fitMinMax, fitStandardizer, minMaxScale, rescale, standardize } from '../src/data/Normalize.js'
import { batchIndices, batches, trainTestSplit } from '../src/data/Split.js'
import { foldIn, key, split } from '../src/Random.js'
import { ShapeError } from '../src/ShapeError.js'
import { fromData, tensor } from '../src/Tensor.js'
import { scalarPoint } from '../laws/index.js'
import { ok, err } from './either.js'


/** n rows whose first feature is the row's id, so rows can be traced through shuffles. */
const traced = (n: number, f = 3, classes = 4): Dataset =>
  ok(dataset(fromData([n, f], Array.from({ length: n * f }, (_, k) => (k % f === 0 ? k / f : k * 0.5))), Array.from({ length: n }, (_, i) => i % classes), classes))
const ids = (d: Dataset): number[] => Array.from({ length: size(d) }, (_, i) => d.x.data[i * features(d)]!)
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b)
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe('dataset', () => {
  it('validates and copies its labels', () => {
    const y = [1, 0]
    const d = ok(dataset(fromData([2, 2], [0, 1, 1, 0]), y, 2))
    y[0] = 5
    expect(Array.from(d.y)).toEqual([1, 0])
    expect(Object.isFrozen(d)).toBe(true)
    expect(size(d)).toBe(2)
    expect(features(d)).toBe(2)
  })

  it('names what is wrong', () => {
    const x = fromData([2, 2], [0, 1, 1, 0])
    expect(err(dataset(x, [1], 2))).toBe('dataset: x has 2 rows but there are 1 labels')
    expect(err(dataset(x, [1, 2], 2))).toBe('dataset: labels[1]: label 2 is out of range 0..1')
    expect(err(dataset(x, [1, 0.5], 2))).toBe('dataset: labels[1]: label 0.5 is out of range 0..1')
    expect(err(dataset(tensor([1, 2]), [0, 0], 2))).toBe('dataset: expected x of shape [n, features], found shape [2]')
    expect(err(dataset(x, [0, 0], 0))).toBe('dataset: expected a positive integer number of classes, found 0')
  })

  it('take gathers rows and labels; a bad index throws a ShapeError', () => {
    const d = traced(5)
    const t = take(d, [4, 0, 4])
    expect(ids(t)).toEqual([4, 0, 4])
    expect(Array.from(t.y)).toEqual([0, 0, 0])
    expect(() => take(d, [5])).toThrow(ShapeError)
    expect(() => take(d, [1.5])).toThrow(/row index 1.5 in \[0, 5\)/)
  })

  it('mapX transforms x and keeps labels; classCounts counts them', () => {
    const d = traced(6)
    const m = pipe(d, mapX(rescale(2)))
    expect(Array.from(m.x.data)).toEqual(Array.from(d.x.data, (v) => v / 2))
    expect(Array.from(m.y)).toEqual(Array.from(d.y))
    expect(m.y).not.toBe(d.y) // its own memory: no public result aliases another value (issue 13 item 8)
    expect(classCounts(d)).toEqual([2, 2, 1, 1])
    expect(() => mapX(() => tensor([1]))(d)).toThrow(ShapeError)
  })
})

describe('oneHot', () => {
  it('puts a single 1 in the label column of each row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.integer({ min: 0, max: k - 1 })))), ([k, labels]) => {
        const t = oneHot(labels, k)
        expect(t.shape).toEqual([labels.length, k])
        labels.forEach((c, i) => {
          const row = Array.from(t.data.subarray(i * k, i * k + k))
          expect(row).toEqual(range(k).map((j) => (j === c ? 1 : 0)))
        })
      }),
    )
    expect(Array.from(oneHot(Int32Array.of(2, 0), 3).data)).toEqual([0, 0, 1, 1, 0, 0])
  })

  it('rejects labels out of range', () => {
    expect(() => oneHot([0, 3], 3)).toThrow('oneHot: labels[1] is 3, expected an integer in 0..2')
    expect(() => oneHot([0], 0)).toThrow(RangeError)
  })
})

describe('normalisation', () => {
  // entries mostly spread evenly over [-1e3, 1e3], one in five from fc.double (tiny, ill-conditioned columns)
  const matrix = fc
    .tuple(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 5 }))
    .chain(([n, f]) => fc.tuple(fc.constant([n, f] as const), fc.array(scalarPoint({ min: -1e3, max: 1e3 }), { minLength: n * f, maxLength: n * f })))

  it('standardize gives each fitted column mean 0 and std 1 (0 for a constant column)', () => {
    fc.assert(
      fc.property(matrix, ([[n, f], values]) => {
        const x = fromData([n, f], values)
        const z = standardize(fitStandardizer(x))(x)
        for (let j = 0; j < f; j++) {
          const col = range(n).map((i) => z.data[i * f + j]!)
          const raw = range(n).map((i) => values[i * f + j]!)
          const mean = col.reduce((a, b) => a + b, 0) / n
          const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / n)
          const constant = raw.every((v) => v === raw[0])
          // a spread of a few ulps of the values cannot be centred exactly in float64: the
          // rounding error of the mean, about ulp(max |x|) / sd, is then of order 1. The property
          // holds for columns whose spread is not below 1e-6 of their magnitude, nor so small
          // (below 1e-150) that squared deviations underflow.
          const spread = Math.max(...raw) - Math.min(...raw)
          const wellConditioned = spread > 1e-6 * Math.max(...raw.map(Math.abs)) && spread > 1e-150
          expect(col.every(Number.isFinite)).toBe(true)
          if (constant) expect(col.every((v) => v === 0)).toBe(true)
          else if (wellConditioned) {
            expect(Math.abs(mean)).toBeLessThan(1e-9)
            expect(Math.abs(sd - 1)).toBeLessThan(1e-9)
          }
        }
      }),
    )
  })

  it('applies the training statistics to test data', () => {
    const train = tensor([[1, 10], [3, 10]])
    const s = fitStandardizer(train)
    expect(Array.from(s.mean.data)).toEqual([2, 10])
    expect(Array.from(s.std.data)).toEqual([1, 1])
    expect(Array.from(standardize(s)(tensor([[5, 12]])).data)).toEqual([3, 2])
    expect(() => standardize(s)(tensor([[1, 2, 3]]))).toThrow(ShapeError)
  })

  it('minMaxScale maps the fitted columns onto [0, 1], hitting both ends', () => {
    fc.assert(
      fc.property(matrix, ([[n, f], values]) => {
        const x = fromData([n, f], values)
        const m = fitMinMax(x)
        const y = minMaxScale(m)(x)
        for (let j = 0; j < f; j++) {
          const col = range(n).map((i) => y.data[i * f + j]!)
          expect(Math.min(...col)).toBe(0)
          const constant = m.min.data[j] === m.max.data[j]
          expect(Math.max(...col)).toBe(constant ? 0 : 1)
        }
      }),
    )
    expect(Array.from(minMaxScale(fitMinMax(tensor([[0, 4], [2, 4]])))(tensor([[4, 5]])).data)).toEqual([2, 1])
  })

  it('rescale maps a known range to [0, 1]', () => {
    expect(Array.from(rescale(16)(tensor([[0, 8, 16]])).data)).toEqual([0, 0.5, 1])
    expect(Array.from(rescale(1, -1)(tensor([-1, 0, 1])).data)).toEqual([0, 0.5, 1])
    expect(() => rescale(0)).toThrow('rescale: expected finite low < high, got low 0 and high 0')
  })
})

describe('trainTestSplit', () => {
  it('partitions the rows: disjoint, complete, of the requested sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 200 }), scalarPoint({ min: 0.01, max: 0.99 }), (s, n, f) => {
        const { train, test } = trainTestSplit(key(s), traced(n), { testFraction: f })
        const nTest = Math.min(n - 1, Math.max(1, Math.round(n * f)))
        expect(size(test)).toBe(nTest)
        expect(size(train)).toBe(n - nTest)
        expect(sorted([...ids(train), ...ids(test)])).toEqual(range(n))
        // labels travel with their rows
        for (const part of [train, test]) ids(part).forEach((id, i) => expect(part.y[i]).toBe(id % 4))
      }),
    )
  })

  it('is deterministic in the key and varies with it', () => {
    const d = traced(100)
    const a = trainTestSplit(key(1), d)
    expect(ids(a.test)).toEqual(ids(trainTestSplit(key(1), d).test))
    expect(ids(a.test)).not.toEqual(ids(trainTestSplit(key(2), d).test))
    expect(size(a.test)).toBe(20)
  })

  it('rejects bad fractions and data too small to split', () => {
    expect(() => trainTestSplit(key(0), traced(10), { testFraction: 1 })).toThrow('trainTestSplit: expected testFraction in (0, 1), got 1')
    expect(() => trainTestSplit(key(0), traced(1))).toThrow(/at least 2 examples/)
  })
})

describe('batches', () => {
  it('cover every row exactly once, in batches of batchSize with the remainder last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 40 }), (s, n, b) => {
        const d = traced(n)
        const bs = batches(key(s), d, b)
        const all = [...bs]
        expect(bs.count).toBe(Math.ceil(n / b))
        expect(all).toHaveLength(bs.count)
        all.forEach((batch, i) => expect(size(batch)).toBe(i < all.length - 1 ? b : n - b * (all.length - 1)))
        expect(sorted(all.flatMap(ids))).toEqual(range(n))
        all.forEach((batch) => ids(batch).forEach((id, i) => expect(batch.y[i]).toBe(id % 4)))
      }),
    )
  })

  it('give the same batches on every iteration and for the same key, others for another key', () => {
    const d = traced(50)
    const bs = batches(key(3), d, 8)
    const first = [...bs].map(ids)
    expect([...bs].map(ids)).toEqual(first)
    expect([...batches(key(3), d, 8)].map(ids)).toEqual(first)
    expect([...batches(foldIn(key(3), 1), d, 8)].map(ids)).not.toEqual(first)
    expect(batchIndices(key(3), 50, 8).map((r) => [...r])).toEqual(first)
  })

  it('shuffle: over many keys each row starts the first batch about equally often', () => {
    const n = 10
    const counts = new Array<number>(n).fill(0)
    const trials = 20_000
    for (const k of split(key(4), trials)) counts[batchIndices(k, n, 3)[0]![0]!]!++
    const e = trials / n
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0)
    expect(chi2).toBeLessThan(33.7) // chi-square, 9 degrees of freedom, P = 1e-4
  })

  it('reject a batch size that is not a positive integer', () => {
    expect(() => batches(key(0), traced(5), 0)).toThrow('batches: expected a positive integer batch size, got 0')
    expect(() => batches(key(0), traced(5), 2.5)).toThrow(RangeError)
  })
})
