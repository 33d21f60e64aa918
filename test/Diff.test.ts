import fc from 'fast-check'
import type { Kind2 } from 'fp-ts/HKT.js'
import { describe, expect, it } from 'vitest'
import { scalarValue, tensor, tensorOf, tree } from '../laws/arbitraries-tensor.js'
import { categoryLaws, chainRuleLaw } from '../laws/tensor-compose.js'
import { checkDiff } from '../laws/tensor.js'
import { assertLaw } from '../laws/law-runner.js'
import * as D from '../src/Diff.js'
import type { Diff } from '../src/Diff.js'
import { fromData } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import type { Tree } from '../src/Tree.js'
import { expS, expT, mulS, sinS, sinT, squareS, squareT, sumT } from './diff-fixtures.js'

const num = scalarValue({ min: -3, max: 3 })
const pairOf = <A, B>(a: fc.Arbitrary<A>, b: fc.Arbitrary<B>) => fc.tuple(a, b) as fc.Arbitrary<readonly [A, B]>

describe('constructors', () => {
  it('make and fromRules build frozen Diffs whose parts agree', () => {
    expect(Object.isFrozen(sinS)).toBe(true)
    expect(sinS.apply(0.5)).toBe(Math.sin(0.5))
    expect(sinS.jvp(0.5, 2)).toEqual([Math.sin(0.5), 2 * Math.cos(0.5)])
    expect(sinS.vjp(0.5)[1](3)).toBe(3 * Math.cos(0.5))
    checkDiff(sinS, { arbitrary: num })
    checkDiff(mulS, { arbitrary: pairOf(num, num) })
  })

  it('fromRules computes the value once per call and hands it to the rule', () => {
    let calls = 0
    const f = D.fromRules<number, number>({
      value: (x) => {
        calls++
        return Math.exp(x)
      },
      jvp: (_x, y, dx) => y * dx,
      pullback: (_x, y, dy) => y * dy,
    })
    f.jvp(1, 1)
    f.vjp(1)[1](1)
    expect(calls).toBe(2)
  })

  it('linear uses the map as its JVP and the transpose as its pullback', () => {
    const t = D.linear<readonly [number, number], number>(([a, b]) => a + 2 * b, (c) => [c, 2 * c])
    expect(t.jvp([1, 1], [1, 0])).toEqual([3, 1])
    expect(t.vjp([1, 1])[1](1)).toEqual([1, 2])
    checkDiff(t, { arbitrary: pairOf(num, num) })
  })

  it('id passes everything through and satisfies every law', () => {
    expect(D.id<number>().vjp(4)[1](7)).toBe(7)
    checkDiff(D.id<Tree>(), { arbitrary: tree() })
  })

  it('const_ has a zero tangent and a zero pullback shaped like the input', () => {
    const c = D.const_<Tree, Tensor>(fromData([2], [1, 2]))
    const x = { w: fromData([3], [1, 2, 3]), b: 1 }
    expect(c.apply(x)).toEqual(fromData([2], [1, 2]))
    expect(c.jvp(x, x)[1]).toEqual(fromData([2], [0, 0]))
    expect(c.vjp(x)[1](fromData([2], [5, 5]))).toEqual({ w: fromData([3], [0, 0, 0]), b: 0 })
    checkDiff(c, { arbitrary: tree() })
  })
})

describe('composition', () => {
  it('compose is the chain rule in both modes (known values)', () => {
    const f = D.compose(sinS, squareS) // sin(x^2)
    const x = 0.7
    expect(f.apply(x)).toBe(Math.sin(x * x))
    expect(f.jvp(x, 1)[1]).toBeCloseTo(2 * x * Math.cos(x * x), 15)
    expect(f.vjp(x)[1](1)).toBeCloseTo(2 * x * Math.cos(x * x), 15)
    checkDiff(f, { arbitrary: num })
  })

  it('compose satisfies the chain-rule law on tensors', () => {
    assertLaw(chainRuleLaw(expT(), sinT, { arbitrary: tensor({ min: -3, max: 3 }) }))
    assertLaw(chainRuleLaw(sumT, squareT, { arbitrary: tensor() }))
    checkDiff(D.compose(sumT, D.compose(expT(), sinT)), { arbitrary: tensor({ min: -3, max: 3 }) })
  })

  it('the Category instance satisfies identity and associativity on values and both derivatives', () => {
    assertLaw(categoryLaws(sinS, expS, squareS, { arbitrary: num, compose: D.Category.compose, id: D.Category.id }))
    assertLaw(categoryLaws(sinT, squareT, sumT, { arbitrary: tensor(), compose: D.Semigroupoid.compose }))
  })

  it('flow(f, g, h) is compose(h, compose(g, f)): h . g . f', () => {
    fc.assert(
      fc.property(num, scalarValue({ min: -1, max: 1 }), (x, t) => {
        const b = D.flow(squareS, sinS, expS)
        const c = D.compose(expS, D.compose(sinS, squareS))
        expect(b.apply(x)).toBe(c.apply(x))
        expect(b.jvp(x, t)).toEqual(c.jvp(x, t))
        expect(b.vjp(x)[1](t)).toBe(c.vjp(x)[1](t))
      }),
    )
    expect(D.flow(sinS)).toBe(sinS)
    const nine = D.flow(squareS, sinS, expS, sinS, squareS, sinS, expS, sinS, squareS)
    checkDiff(nine, { arbitrary: scalarValue({ min: -1, max: 1 }) })
  })
})

describe('products', () => {
  it('fanout: the pullback of a copy is the sum of the cotangents', () => {
    const both = D.fanout(sinS, expS)
    expect(both.apply(1)).toEqual([Math.sin(1), Math.exp(1)])
    expect(both.vjp(1)[1]([2, 3])).toBe(2 * Math.cos(1) + 3 * Math.exp(1))
    expect(D.dup<number>().vjp(5)[1]([2, 3])).toBe(5)
    checkDiff(both, { arbitrary: num })
    checkDiff(D.fanout(sinT, expT()), { arbitrary: tensor({ min: -3, max: 3 }) })
    checkDiff(D.dup<Tree>(), { arbitrary: tree() })
  })

  it('fanout sums tree cotangents leaf by leaf', () => {
    const x = fromData([2], [1, 2])
    const [, pb] = D.dup<Tensor>().vjp(x)
    expect(pb([fromData([2], [1, 1]), fromData([2], [10, 20])])).toEqual(fromData([2], [11, 21]))
  })

  it('parallel, first and second act on each component independently', () => {
    const p = D.parallel(sinS, expS)
    expect(p.jvp([1, 2], [1, 1])).toEqual([
      [Math.sin(1), Math.exp(2)],
      [Math.cos(1), Math.exp(2)],
    ])
    expect(p.vjp([1, 2])[1]([1, 1])).toEqual([Math.cos(1), Math.exp(2)])
    checkDiff(p, { arbitrary: pairOf(num, num) })
    checkDiff(D.first<number, number, Tensor>(sinS), { arbitrary: pairOf(num, tensor()) })
    checkDiff(D.second<Tensor, Tensor, number>(squareT), { arbitrary: pairOf(num, tensor()) })
  })

  it('fst and snd project, with zeros for the other side in the pullback', () => {
    expect(D.fst<number, number>().vjp([1, 2])[1](5)).toEqual([5, 0])
    expect(D.snd<Tensor, number>().vjp([fromData([2], [1, 2]), 2])[1](5)).toEqual([fromData([2], [0, 0]), 5])
    checkDiff(D.fst<Tensor, Tree>(), { arbitrary: pairOf(tensor(), tree()) })
    checkDiff(D.snd<Tree, Tensor>(), { arbitrary: pairOf(tree(), tensor()) })
  })

  it('a product of a pair, x * y, built from fanout and mul, has the product rule', () => {
    // f(x) = sin(x) * exp(x) via fanout then mul: f' = (cos x + sin x) e^x
    const f = D.compose(mulS, D.fanout(sinS, expS))
    const x = 0.3
    expect(f.vjp(x)[1](1)).toBeCloseTo((Math.cos(x) + Math.sin(x)) * Math.exp(x), 14)
    checkDiff(f, { arbitrary: num })
  })

  it('products satisfy every law on tensors of random shapes', () => {
    const x = tensorOf([2, 3])
    checkDiff(D.parallel(sinT, squareT), { arbitrary: pairOf(x, x) })
  })
})

describe('fp-ts instances', () => {
  it('registers Diff under its URI', () => {
    const k: Kind2<D.URI, number, number> = sinS
    const d: Diff<number, number> = k
    expect(D.URI).toBe('autodiff-ts/Diff')
    expect(D.Category.URI).toBe(D.URI)
    expect(d.apply(0)).toBe(0)
  })
})
