/**
 * Issue 13, row "mse gradient; mean after summing: overflow, BCE with logits of 1e308 gives
 * Infinity", and issue 11's `reduction` ('mean' | 'sum' | 'none'), checked against PyTorch.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import * as Loss from '../../src/Loss.js'
import { tensor, type Nested, type Tensor } from '../../src/Tensor.js'

const fixture = JSON.parse(readFileSync(new URL('../fixtures/loss-reduction.json', import.meta.url), 'utf8')) as {
  x: Nested; t: Nested; y: Nested; labels: number[]
  cases: Record<string, { value: Nested; cotangent: Nested; grad: Nested }>
}
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)))
const closeAll = (a: ArrayLike<number>, b: readonly number[]) => {
  expect(a.length).toBe(b.length)
  for (let i = 0; i < b.length; i++) close(a[i]!, b[i]!)
}
const flat = (n: Nested): number[] => (typeof n === 'number' ? [n] : n.flatMap(flat))
const finite = (v: number | ArrayLike<number>) =>
  typeof v === 'number' ? Number.isFinite(v) : Array.from(v).every(Number.isFinite)

describe('losses at the edges of float64', () => {
  it('BCE with logits of 1e308 is finite, value and gradient (the mean after summing overflowed)', () => {
    const y = tensor([0, 0, 1, 0.5])
    const x = tensor([1e308, 1.5e308, -1e308, 1e308])
    const loss = Loss.binaryCrossEntropyWithLogits(y)
    const v = loss.apply(x)
    // the terms are 1e308, 1.5e308, 1e308 and 0.5e308 (to within log 2): their mean is 1e308
    close(v, 1e308)
    const [v2, pb] = loss.vjp(x)
    expect(v2).toBe(v)
    expect(finite(pb(1).data)).toBe(true)
  })
  it('mse: a gradient 2 r / n finite where 2 r overflows, and a mean finite where the sum of squares overflows', () => {
    const t = tensor([0, 0, 0, 0])
    const x = tensor([1.7e308, -1.7e308, 1.7e308, 1])
    const [, pb] = Loss.mse(t).vjp(x)
    closeAll(pb(1).data, [0.85e308, -0.85e308, 0.85e308, 0.5])
    // |r| = 1e154: each square is 1e308, their sum overflows, their mean does not
    const y = tensor([1e154, 1e154, -1e154, 1e154])
    const m = Loss.mse(t).apply(y)
    close(m, 1e308)
    // the residual itself overflows: the gradient (x - t) 2 / n is still finite
    const [, pb2] = Loss.mse(tensor([-1.5e308, 0, 0, 0])).vjp(tensor([1.5e308, 0, 0, 0]))
    close(pb2(1).data[0]!, 1.5e308)
  })
  it('softmax cross-entropy: a mean of rows finite where their sum overflows', () => {
    const loss = Loss.softmaxCrossEntropy([1, 1])
    const v = loss.apply(tensor([[1e308, -1e308 / 2], [1e308, -1e308 / 2]]))
    close(v, 1.5e308)
  })
  it('finite inputs give finite results wherever the true value is finite (fuzzed over magnitudes)', () => {
    const big = fc.double({ min: -1e308, max: 1e308, noNaN: true })
    fc.assert(
      fc.property(fc.array(big, { minLength: 1, maxLength: 8 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), (xs, ys) => {
        const x = tensor(xs)
        const y = tensor(ys.slice(0, xs.length))
        const bce = Loss.binaryCrossEntropyWithLogits(y)
        // every BCE term is at most |x|, so the mean is at most max |x|: finite
        expect(finite(bce.apply(x))).toBe(true)
        expect(finite(bce.vjp(x)[1](1).data)).toBe(true)
        // mse's gradient 2 (x - t) / n with |t| <= 1: finite unless n = 1 and |2 (x - t)| overflows
        const g = Loss.mse(y).vjp(x)[1](1).data
        for (let i = 0; i < xs.length; i++) if (Math.abs(2 * ((xs[i]! - ys[i]!) / xs.length)) < Number.MAX_VALUE) expect(Number.isFinite(g[i]!)).toBe(true)
      }),
    )
  })
})

describe('reduction, against PyTorch', () => {
  const x = tensor(fixture.x)
  const make = (name: string, reduction: Loss.Reduction) =>
    name === 'mse'
      ? Loss.mse(tensor(fixture.t), { reduction } as never)
      : name === 'bce'
        ? Loss.binaryCrossEntropyWithLogits(tensor(fixture.y), { reduction } as never)
        : Loss.softmaxCrossEntropy(fixture.labels, { reduction } as never)
  for (const name of ['mse', 'bce', 'ce'])
    for (const reduction of ['mean', 'sum', 'none'] as const)
      it(`${name} with reduction '${reduction}': value, vjp and jvp`, () => {
        const c = fixture.cases[`${name}_${reduction}`]!
        const loss = make(name, reduction) as { apply: (x: Tensor) => number | Tensor; vjp: (x: Tensor) => readonly [number | Tensor, (c: never) => Tensor]; jvp: (x: Tensor, dx: Tensor) => readonly [number | Tensor, number | Tensor] }
        const v = loss.apply(x)
        closeAll(typeof v === 'number' ? [v] : v.data, flat(c.value))
        const [v2, pb] = loss.vjp(x)
        expect(v2).toEqual(v)
        const cot = reduction === 'none' ? tensor(c.cotangent) : (c.cotangent as number)
        closeAll(pb(cot as never).data, flat(c.grad))
        // jvp along a basis direction e_j gives the j-th column of the Jacobian: dot with the cotangent = the grad
        const g = flat(c.grad)
        for (let j = 0; j < g.length; j++) {
          const e = new Array<number>(g.length).fill(0)
          e[j] = 1
          const [, ydot] = loss.jvp(x, asX(e))
          const yd = typeof ydot === 'number' ? [ydot] : Array.from(ydot.data)
          const cs = flat(c.cotangent)
          close(yd.reduce((a, b, i) => a + b * cs[i]!, 0), g[j]!)
        }
      })
  it('an unknown reduction is a RangeError naming the loss', () => {
    expect(() => Loss.mse(tensor([1]), { reduction: 'avg' } as never)).toThrow("mse: expected reduction to be 'mean', 'sum' or 'none', found avg")
  })
})

/** A flat direction in the shape of the fixture's x. */
const asX = (e: number[]): Tensor => {
  const [r, k] = [(fixture.x as number[][]).length, (fixture.x as number[][])[0]!.length]
  return tensor(Array.from({ length: r }, (_, i) => e.slice(i * k, (i + 1) * k)))
}
