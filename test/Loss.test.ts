import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import * as A from '../src/Activation.js'
import { compose } from '../src/Diff.js'
import * as L from '../src/Loss.js'
import { ShapeError } from '../src/ShapeError.js'
import { fromData, tensor, wrap, type Shape, type Tensor } from '../src/Tensor.js'
import { checkDiff } from '../laws/tensor.js'
import { tensorOf } from '../laws/arbitraries-tensor.js'

const EPS = 2 ** -52

interface Case {
  readonly shape: number[]
  readonly x: number[]
  readonly target: number[]
  readonly loss: number
  readonly grad: number[]
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/loss.json', import.meta.url), 'utf8')) as Record<
  'mse' | 'binaryCrossEntropyWithLogits' | 'softmaxCrossEntropy',
  Case[]
>

/** Relative 1e-9 (0 only for 0). */
const rel = (got: number, want: number): boolean => got === want || Math.abs(got - want) <= 1e-9 * Math.abs(want)

const lossOf = (name: keyof typeof fixture, c: Case) =>
  name === 'softmaxCrossEntropy' ? L.softmaxCrossEntropy(c.target) : name === 'mse' ? L.mse(fromData(c.shape, c.target)) : L.binaryCrossEntropyWithLogits(fromData(c.shape, c.target))

describe('Loss: against PyTorch float64 (test/fixtures/loss.py)', () => {
  for (const name of ['mse', 'binaryCrossEntropyWithLogits', 'softmaxCrossEntropy'] as const)
    it(`${name}: loss and gradient to a relative 1e-9 (${fixture[name].length} cases)`, () => {
      for (const c of fixture[name]) {
        const loss = lossOf(name, c)
        const x = fromData(c.shape, c.x)
        const [v, pb] = loss.vjp(x)
        expect(rel(loss.apply(x), c.loss), `${name} ${loss.apply(x)} vs torch ${c.loss}`).toBe(true)
        expect(v).toBe(loss.apply(x))
        const g = pb(1)
        expect(g.shape).toEqual(c.shape)
        c.grad.forEach((want, i) => expect(rel(g.data[i]!, want), `grad[${i}] ${g.data[i]} vs torch ${want}`).toBe(true))
        // the pullback is linear in the cotangent, and the JVP is <grad, t>
        const g2 = pb(2.5)
        g.data.forEach((gi, i) => expect(g2.data[i]).toBe(2.5 * gi))
        const t = wrap(c.shape, Float64Array.from(c.x, (_, i) => Math.sin(i)))
        const [vj, dv] = loss.jvp(x, t)
        expect(vj).toBe(v)
        let dot = 0
        let mag = 0
        g.data.forEach((gi, i) => {
          dot += gi * t.data[i]!
          mag += Math.abs(gi * t.data[i]!)
        })
        expect(Math.abs(dv - dot)).toBeLessThanOrEqual(4 * EPS * mag)
      }
    })
})

const batch = (shape: Shape, min = -10, max = 10) => tensorOf(shape, { min, max })

describe('Loss: the laws of a Diff (consistency, dot product, finite differences, linearity)', () => {
  it('mse', () => {
    fc.assert(
      fc.property(batch([4, 3]), (t) => {
        expect(checkDiff(L.mse(t), { arbitrary: batch([4, 3]) }).length).toBe(4)
      }),
      { numRuns: 3 },
    )
  })

  it('binaryCrossEntropyWithLogits', () => {
    fc.assert(
      fc.property(batch([5, 2], 0, 1), (t) => {
        expect(checkDiff(L.binaryCrossEntropyWithLogits(t), { arbitrary: batch([5, 2]) }).length).toBe(4)
      }),
      { numRuns: 3 },
    )
  })

  it('softmaxCrossEntropy', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }), (labels) => {
        expect(checkDiff(L.softmaxCrossEntropy(labels), { arbitrary: batch([3, 4]) }).length).toBe(4)
      }),
      { numRuns: 3 },
    )
  })

  it('composes with a model: softmaxCrossEntropy ∘ tanh and mse ∘ sigmoid', () => {
    expect(checkDiff(compose(L.softmaxCrossEntropy([1, 0, 2]), A.tanh.diff), { arbitrary: batch([3, 3]) }).length).toBe(4)
    expect(checkDiff(compose(L.mse(tensor([0, 1, 0.5])), A.sigmoid.diff), { arbitrary: batch([3]) }).length).toBe(4)
  })
})

describe('Loss: identities with the activations', () => {
  const rows = fc.integer({ min: 1, max: 5 }).chain((b) =>
    fc.integer({ min: 1, max: 6 }).chain((k) =>
      fc.tuple(tensorOf([b, k], { min: -1000, max: 1000 }), fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: b, maxLength: b })),
    ),
  )

  it('softmaxCrossEntropy = -mean(logSoftmax[label]), gradient (softmax - onehot) / batch, finite for logits up to 1000', () => {
    fc.assert(
      fc.property(rows, ([x, labels]) => {
        const [b, k] = x.shape as [number, number]
        const loss = L.softmaxCrossEntropy(labels)
        const [v, pb] = loss.vjp(x)
        const g = pb(1)
        const ls = A.logSoftmax.diff.apply(x).data
        const p = A.softmax.diff.apply(x).data
        let want = 0
        let mag = 0
        labels.forEach((l, r) => {
          want -= ls[r * k + l]! / b
          mag += Math.abs(ls[r * k + l]!) / b
        })
        expect(Number.isFinite(v) && g.data.every(Number.isFinite)).toBe(true)
        expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-12 * mag + 1e-300)
        for (let r = 0; r < b; r++)
          for (let j = 0; j < k; j++) {
            const e = (p[r * k + j]! - (j === labels[r] ? 1 : 0)) / b
            expect(Math.abs(g.data[r * k + j]! - e)).toBeLessThanOrEqual((4 * EPS) / b)
          }
      }),
      { numRuns: 300 },
    )
  })

  it('binaryCrossEntropyWithLogits = mean(softplus(x) - x y), gradient (sigmoid(x) - y) / n, finite for logits up to 1000', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(tensorOf([n], { min: -1000, max: 1000 }), tensorOf([n], { min: 0, max: 1 }))),
        ([x, y]) => {
          const n = x.data.length
          const loss = L.binaryCrossEntropyWithLogits(y)
          const [v, pb] = loss.vjp(x)
          const g = pb(1)
          let want = 0
          let mag = 0
          x.data.forEach((xi, i) => {
            want += (A.softplus.value(xi) - xi * y.data[i]!) / n
            mag += (A.softplus.value(xi) + Math.abs(xi * y.data[i]!)) / n
          })
          expect(Number.isFinite(v) && g.data.every(Number.isFinite)).toBe(true)
          expect(Math.abs(v - want)).toBeLessThanOrEqual(8 * EPS * mag)
          x.data.forEach((xi, i) => {
            const e = (A.sigmoid.value(xi) - y.data[i]!) / n
            expect(Math.abs(g.data[i]! - e)).toBeLessThanOrEqual((4 * EPS) / n)
          })
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('Loss: pinned values', () => {
  it('softmaxCrossEntropy at logits of magnitude 1000 is exact', () => {
    const x = tensor([[1000, 0, -1000], [1000, 0, -1000], [0, 1000, -1000]])
    expect(L.softmaxCrossEntropy([0, 2, 1]).apply(x)).toBe((0 + 2000 + 0) / 3)
    const g = L.softmaxCrossEntropy([0, 2, 1]).vjp(x)[1](1)
    // (+ 0 turns the -0 of a label's vanishing p - 1 = -e^-1000 into 0)
    expect(Array.from(g.data, (v) => v + 0)).toEqual([0, 0, 0, 1 / 3, 0, -1 / 3, 0, 0, 0])
    expect(L.softmaxCrossEntropy([0, 0]).apply(tensor([[0, 0, 0, 0], [5, 5, 5, 5]]))).toBeCloseTo(Math.log(4), 15)
  })

  it('the gradient of a confident correct prediction keeps its relative accuracy (p - 1 is minus the others)', () => {
    // logits [40, 0]: p_0 - 1 = -1 / (1 + e^40), which softmax - onehot would round to 0
    const g = L.softmaxCrossEntropy([0]).vjp(tensor([[40, 0]]))[1](1)
    const want = -1 / (1 + Math.exp(40))
    expect(Math.abs(g.data[0]! - want)).toBeLessThanOrEqual(4 * EPS * Math.abs(want))
    const h = L.binaryCrossEntropyWithLogits(tensor([1])).vjp(tensor([40]))[1](1)
    expect(Math.abs(h.data[0]! - want)).toBeLessThanOrEqual(4 * EPS * Math.abs(want))
  })

  it('binaryCrossEntropyWithLogits at +-1000 is exact and log 2 at 0', () => {
    expect(L.binaryCrossEntropyWithLogits(tensor([1, 0])).apply(tensor([1000, -1000]))).toBe(0)
    expect(L.binaryCrossEntropyWithLogits(tensor([0, 1])).apply(tensor([1000, -1000]))).toBe(1000)
    expect(L.binaryCrossEntropyWithLogits(tensor([1, 0])).apply(tensor([0, 0]))).toBe(Math.LN2)
  })

  it('mse', () => {
    const loss = L.mse(tensor([[1, 2], [3, 4]]))
    expect(loss.apply(tensor([[1, 2], [3, 6]]))).toBe(1)
    expect(Array.from(loss.vjp(tensor([[1, 2], [3, 6]]))[1](1).data)).toEqual([0, 0, 0, 1])
  })
})

describe('Loss: errors', () => {
  it('softmaxCrossEntropy validates its labels: integers >= 0 now, below the class count when applied', () => {
    expect(() => L.softmaxCrossEntropy([0, 1.5])).toThrow('softmaxCrossEntropy: expected labels to be non-negative integers, found 1.5 at index 1')
    expect(() => L.softmaxCrossEntropy([-1])).toThrow(RangeError)
    expect(() => L.softmaxCrossEntropy([NaN])).toThrow(RangeError)
    const loss = L.softmaxCrossEntropy(Int32Array.of(0, 3))
    expect(() => loss.apply(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(
      'softmaxCrossEntropy: expected labels in [0, 3) for logits of shape [2, 3], found 3 at index 1',
    )
    expect(() => loss.vjp(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(RangeError)
  })

  it('softmaxCrossEntropy refuses logits of the wrong shape before any arithmetic', () => {
    const loss = L.softmaxCrossEntropy([0, 1])
    expect(() => loss.apply(tensor([1, 2]))).toThrow(ShapeError)
    expect(() => loss.apply(tensor([[1, 2], [3, 4], [5, 6]]))).toThrow('softmaxCrossEntropy: one row of logits per label (2 labels); got shape [3, 2]')
    expect(() => L.softmaxCrossEntropy([]).apply(wrap([0, 3], new Float64Array(0)))).toThrow(/non-empty batch/)
    expect(() => loss.jvp(tensor([[1, 2], [3, 4]]), tensor([[1, 2]]))).toThrow(ShapeError)
  })

  it('mse and binaryCrossEntropyWithLogits refuse predictions of another shape, and empty batches', () => {
    expect(() => L.mse(tensor([1, 2])).apply(tensor([[1, 2]]))).toThrow('mse: predictions of the shape of the targets [2]; got shapes [1, 2] and [2]')
    expect(() => L.mse(wrap([0], new Float64Array(0))).apply(wrap([0], new Float64Array(0)))).toThrow(ShapeError)
    expect(() => L.binaryCrossEntropyWithLogits(tensor([1, 0])).vjp(tensor([1, 2, 3]))).toThrow(ShapeError)
  })

  it('binaryCrossEntropyWithLogits refuses targets outside [0, 1]', () => {
    expect(() => L.binaryCrossEntropyWithLogits(tensor([0, 1.5]))).toThrow('binaryCrossEntropyWithLogits: expected targets in [0, 1], found 1.5 at index 1')
    expect(() => L.binaryCrossEntropyWithLogits(tensor([NaN]))).toThrow(RangeError)
  })

  it('copies the labels: changing the caller\'s array later changes nothing', () => {
    const labels = Int32Array.of(0, 1)
    const loss = L.softmaxCrossEntropy(labels)
    const acc = L.accuracy(labels)
    const x = tensor([[5, 0], [0, 5]])
    const before = [loss.apply(x), acc(x)]
    labels[0] = 1
    expect([loss.apply(x), acc(x)]).toEqual(before)
  })
})

describe('Loss: metrics', () => {
  it('accuracy: argmax against the labels, ties to the first index, NaN rows wrong', () => {
    expect(L.accuracy([0, 1])(tensor([[2, 1], [3, 4]]))).toBe(1)
    expect(L.accuracy([1, 1])(tensor([[2, 1], [3, 4]]))).toBe(0.5)
    expect(L.accuracy([0, 1])(tensor([[1, 1], [1, 1]]))).toBe(0.5)
    expect(L.accuracy([0, 1])(tensor([[NaN, 1], [0, 1]]))).toBe(0.5)
    expect(L.accuracy([1])(tensor([[NaN, 1]]))).toBe(0)
    expect(() => L.accuracy([2])(tensor([[1, 2]]))).toThrow(RangeError)
  })

  it('accuracy is the fraction of rows where softmaxCrossEntropy\'s largest probability is the label', () => {
    fc.assert(
      fc.property(
        tensorOf([6, 3], { min: -5, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
        (x: Tensor, labels) => {
          const p = A.softmax.diff.apply(x).data
          let hits = 0
          for (let r = 0; r < 6; r++) {
            const row = [p[3 * r]!, p[3 * r + 1]!, p[3 * r + 2]!]
            if (row.indexOf(Math.max(...row)) === labels[r]) hits++
          }
          expect(L.accuracy(labels)(x)).toBe(hits / 6)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('binaryAccuracy: logit > 0 against target > 0.5', () => {
    expect(L.binaryAccuracy(tensor([1, 0, 1, 0]))(tensor([3, -1, -2, 0]))).toBe(0.75)
    expect(L.binaryAccuracy(tensor([1, 0]))(tensor([NaN, -1]))).toBe(0.5)
    expect(() => L.binaryAccuracy(tensor([1, 0]))(tensor([1]))).toThrow(ShapeError)
  })
})
