import fc from 'fast-check'
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import type { Either } from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { broadcastPair, broadcastShapes, like, matmulPair, sameShapePair, scalarValue, shape, tensor, tensorOf, tree } from '../laws/arbitraries-tensor.js'
import type { LawFailure } from '../laws/law-runner.js'
import { LawError } from '../laws/law-runner.js'
import { addRuleLaw, mulRuleLaw, RuleLawNames } from '../laws/tensor-rules.js'
import { categoryLaws, chainRuleLaw, ComposeLawNames } from '../laws/tensor-compose.js'
import type { ComposeFn } from '../laws/tensor-compose.js'
import {
  checkDiff,
  consistencyLaw,
  dotProductLaw,
  finiteDifferenceLaw,
  LawNames,
  linearityLaw,
  verifyDiff,
} from '../laws/tensor.js'
import * as D from '../src/Diff.js'
import type { Diff } from '../src/Diff.js'
import { broadcastShapes as bShapes } from '../src/kernels/shape.js'
import { wrap } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { addB, expS, expT, mulB, sinS, sinT, squareS, squareT, sumT } from './diff-fixtures.js'

const failure = <R>(r: Either<LawFailure, R>): LawFailure => {
  if (!isLeft(r)) throw new Error('expected the law to fail, it passed')
  return r.left
}

const x3 = tensor({ min: -3, max: 3 })

/** |p|^2 of any tree. */
const sqNorm = <A extends Tree>(): Diff<A, number> =>
  D.fromRules({
    value: (p) => T.dot(p, p),
    jvp: (p, _y, dp) => 2 * T.dot(p, dp),
    pullback: (p, _y, c) => T.scale(2 * c)(p),
  })

/** A Diff<Tensor, Tensor> from elementwise value, jvp and pullback. */
const elementwise = (
  value: (x: number) => number,
  jvp: (x: number, dx: number) => number,
  pullback: (x: number, c: number) => number,
): Diff<Tensor, Tensor> =>
  D.fromRules({
    value: (x) => wrap(x.shape, x.data.map(value)),
    jvp: (x, _y, dx) => wrap(x.shape, x.data.map((v, i) => jvp(v, dx.data[i]!))),
    pullback: (x, _y, c) => wrap(x.shape, x.data.map((v, i) => pullback(v, c.data[i]!))),
  })

describe('arbitraries', () => {
  it('draw what they promise', () => {
    fc.assert(
      fc.property(shape({ minRank: 1, maxRank: 2, maxDim: 3 }), (s) => {
        expect(s.length >= 1 && s.length <= 2 && s.every((d) => d >= 1 && d <= 3)).toBe(true)
      }),
    )
    fc.assert(
      fc.property(tensor({ min: 0.5, max: 2 }), (t) => {
        expect(t.data.every((v) => v >= 0.5 && v <= 2 && Number.isFinite(v))).toBe(true)
        expect(t.data.length).toBe(t.shape.reduce((p, d) => p * d, 1))
      }),
    )
    fc.assert(
      fc.property(broadcastShapes(), ([a, b]) => {
        expect(bShapes(a, b)).toBeDefined()
      }),
    )
    fc.assert(
      fc.property(broadcastPair(), sameShapePair(), matmulPair(), ([a, b], [c, d], [m, n]) => {
        expect(bShapes(a.shape, b.shape)).toBeDefined()
        expect(c.shape).toEqual(d.shape)
        expect(m.shape[1]).toBe(n.shape[0])
      }),
    )
    fc.assert(
      fc.property(tree().chain((t) => fc.tuple(fc.constant(t), like(t))), ([t, u]) => {
        expect(T.structureEq(t, u)).toBe(true)
      }),
    )
  })

  it('broadcastShapes really produces broadcasting (not only equal) shapes', () => {
    const drawn = fc.sample(broadcastShapes({ minRank: 2 }), { numRuns: 200, seed: 1 })
    expect(drawn.some(([a, b]) => a.length !== b.length || a.some((d, i) => d !== b[i]))).toBe(true)
  })
})

describe('consistencyLaw', () => {
  it('passes correct Diffs', () => {
    expect(isRight(consistencyLaw(sinT, { arbitrary: tensor() }))).toBe(true)
    expect(isRight(consistencyLaw(D.id<Tree>(), { arbitrary: tree() }))).toBe(true)
  })

  it('fails a vjp whose value differs from apply, naming both numbers', () => {
    const bad = D.make<number, number>({ ...expS, vjp: (x) => [Math.exp(x) + 1, (c) => Math.exp(x) * c] })
    const f = failure(consistencyLaw(bad, { arbitrary: scalarValue() }))
    expect(f.law).toBe(LawNames.consistency)
    expect(f.message).toMatch(/vjp\(x\)\[0\] against apply\(x\): expected .*, got /)
    expect(f.actual! - f.expected!).toBeCloseTo(1, 6)
  })

  it('fails a pullback that writes into the cotangent it was given', () => {
    const bad = D.make<Tensor, Tensor>({
      ...sinT,
      vjp: (x) => [
        sinT.apply(x),
        (c) => {
          ;(c.data as unknown as Float64Array)[0] = 42
          return sinT.vjp(x)[1](c)
        },
      ],
    })
    const f = failure(consistencyLaw(bad, { arbitrary: tensor() }))
    expect(f.message).toMatch(/c was modified/)
  })

  it('fails a pullback that returns the wrong structure, or answers differently the second time', () => {
    const wrong = D.make<Tensor, Tensor>({ ...sinT, vjp: (x) => [sinT.apply(x), (c) => wrap([...c.shape, 1], c.data as Float64Array)] })
    expect(failure(consistencyLaw(wrong, { arbitrary: tensor({ minRank: 1 }) })).message).toMatch(/wrong structure/)
    let n = 0
    const stateful = D.make<number, number>({ ...sinS, vjp: (x) => [Math.sin(x), (c) => c * Math.cos(x) + n++] })
    expect(failure(consistencyLaw(stateful, { arbitrary: scalarValue() })).message).toMatch(/second time/)
  })

  it('reports a throw or a NaN at a sampled point as a failure naming the law and the point', () => {
    const throws = D.make<number, number>({
      ...sinS,
      jvp: (x, dx) => {
        if (x > 1) throw new RangeError('too big')
        return sinS.jvp(x, dx)
      },
    })
    const f = failure(consistencyLaw(throws, { arbitrary: scalarValue() }))
    expect(f.law).toBe(LawNames.consistency)
    expect(f.message).toMatch(/f\.jvp threw RangeError: too big at x = /)
    const nan = D.fromRules<number, number>({ value: Math.log, jvp: (x, _y, dx) => dx / x, pullback: (x, _y, c) => c / x })
    const g = failure(consistencyLaw(nan, { arbitrary: scalarValue() }))
    expect(g.message).toMatch(/apply\(x\) is not finite: scalar 0 is (NaN|-Infinity) at x = -?\d/)
    // and apply throwing while the sample is drawn is still a law failure, not a crash
    const applyThrows = D.make<number, number>({ ...sinS, apply: () => { throw new Error('boom') } })
    expect(failure(consistencyLaw(applyThrows, { arbitrary: scalarValue() })).message).toMatch(/f\.apply threw Error: boom/)
  })
})

describe('dotProductLaw', () => {
  it('passes correct Diffs and fails an exp whose jvp is off by a factor', () => {
    expect(isRight(dotProductLaw(expT(), { arbitrary: x3 }))).toBe(true)
    const f = failure(dotProductLaw(expT(2, 1), { arbitrary: x3 }))
    expect(f.law).toBe(LawNames.dotProduct)
    expect(f.message).toMatch(/<t, vjp\(x\)\(c\)> against <jvp\(x, t\), c>: expected .*, got .* at x = tensor\(/)
    expect(f.expected! / f.actual!).toBeCloseTo(2, 6)
  })

  it('fails a matmul-like bilinear map whose pullback forgets a transpose', () => {
    // f(A) = A v for a fixed v; the right pullback is c v^T; the wrong one uses v c^T flattened
    const v = [1, 2, 3]
    const mk = (transposed: boolean): Diff<Tensor, Tensor> =>
      D.linear(
        (a) => wrap([3], Float64Array.from([0, 1, 2], (i) => v.reduce((s, vj, j) => s + a.data[3 * i + j]! * vj, 0))),
        (c) => wrap([3, 3], Float64Array.from({ length: 9 }, (_, k) => (transposed ? v[Math.floor(k / 3)]! * c.data[k % 3]! : c.data[Math.floor(k / 3)]! * v[k % 3]!))),
      )
    expect(isRight(dotProductLaw(mk(false), { arbitrary: tensorOf([3, 3]) }))).toBe(true)
    expect(failure(dotProductLaw(mk(true), { arbitrary: tensorOf([3, 3]) })).law).toBe(LawNames.dotProduct)
  })
})

describe('finiteDifferenceLaw', () => {
  it('passes correct Diffs, including on trees', () => {
    expect(isRight(finiteDifferenceLaw(expT(), { arbitrary: x3 }))).toBe(true)
    expect(isRight(finiteDifferenceLaw(D.compose(sumT, squareT), { arbitrary: tensor({ min: -100, max: 100 }) }))).toBe(true)
    expect(isRight(finiteDifferenceLaw(sqNorm<Tree>(), { arbitrary: tree() }))).toBe(true)
  })

  it('copes with subnormal directions (no overflow of the step)', () => {
    expect(isRight(finiteDifferenceLaw(expT(), { arbitrary: x3, direction: { min: -1e-300, max: 1e-300 } }))).toBe(true)
    expect(isRight(finiteDifferenceLaw(sinT, { arbitrary: tensor(), direction: { min: -1, max: 1 }, numRuns: 300 }))).toBe(true)
  })

  it('fails an exp whose jvp and pullback are both off by the same factor (the dot-product test cannot see it)', () => {
    expect(isRight(dotProductLaw(expT(1.5, 1.5), { arbitrary: x3 }))).toBe(true)
    const f = failure(finiteDifferenceLaw(expT(1.5, 1.5), { arbitrary: x3 }))
    expect(f.law).toBe(LawNames.fdForward)
    expect(f.message).toMatch(/jvp\(x, t\) against finite differences with h = .*: expected .*, got .* at x = /)
    expect(f.actual! / f.expected!).toBeCloseTo(1.5, 5)
  })

  it('fails a pullback that is off when the jvp is right (reverse mode only)', () => {
    const f = failure(finiteDifferenceLaw(expT(1, 1.001), { arbitrary: x3 }))
    expect(f.law).toBe(LawNames.fdReverse)
  })

  it('detects an error of one part in 1e4 in a derivative (the tolerance is not loose)', () => {
    // both modes are off; shrinking may end on a point where the absolute tolerance hides the
    // forward error and only the reverse one shows (9 seeds of 3000, e.g. seed 759), so either
    // law may be the one reported
    const f = failure(finiteDifferenceLaw(expT(1.0001), { arbitrary: x3 }))
    expect([LawNames.fdForward, LawNames.fdReverse]).toContain(f.law)
    expect(failure(finiteDifferenceLaw(expT(1.0001, 1), { arbitrary: x3 })).law).toBe(LawNames.fdForward)
    expect(failure(finiteDifferenceLaw(expT(1, 1.0001), { arbitrary: x3 })).law).toBe(LawNames.fdReverse)
  })
})

describe('linearityLaw', () => {
  it('passes correct Diffs', () => {
    expect(isRight(linearityLaw(sinT, { arbitrary: tensor() }))).toBe(true)
    expect(isRight(linearityLaw(D.fanout(sinT, expT()), { arbitrary: x3 }))).toBe(true)
  })

  it('fails an affine pullback (zero cotangent must give zero)', () => {
    const bad = elementwise(Math.sin, (x, dx) => Math.cos(x) * dx, (x, c) => Math.cos(x) * c + 0.5)
    expect(failure(linearityLaw(bad, { arbitrary: tensor() })).law).toBe(LawNames.pullbackZero)
  })

  it('fails a pullback that is homogeneous but not additive', () => {
    // g = cos(x) c_j, c_j the element of c largest in magnitude: zero maps to zero and k c to k g
    // (in floating point too: rounding keeps the order of |k c_i|), but sums do not go to sums.
    // (Not cos(x) c + cbrt(sum c^3): homogeneous only in exact arithmetic, its rounding made the
    // law report homogeneity for 3 seeds in 1,500, one of them in a CI run.)
    const largest = (c: ArrayLike<number>): number => {
      let j = 0
      for (let i = 1; i < c.length; i++) if (Math.abs(c[i]!) > Math.abs(c[j]!)) j = i
      return c[j]!
    }
    const bad = D.make<Tensor, Tensor>({
      ...sinT,
      vjp: (x) => [sinT.apply(x), (c) => wrap(x.shape, x.data.map((v) => Math.cos(v) * largest(c.data)))],
    })
    const f = failure(linearityLaw(bad, { arbitrary: tensor({ minRank: 1, minDim: 2 }) }))
    expect(f.law).toBe(LawNames.pullbackAdditive)
  })

  it('fails a pullback that is additive but not homogeneous on its fifth call', () => {
    // The law calls the pullback on 0, a, b, a + b, then k a: only the last answer is wrong.
    const bad: Diff<number, number> = D.make({
      ...sinS,
      vjp: (x) => {
        let calls = 0
        return [Math.sin(x), (c: number) => (++calls === 5 ? Math.cos(x) * Math.abs(c) : Math.cos(x) * c)]
      },
    })
    const f = failure(linearityLaw(bad, { arbitrary: scalarValue() }))
    expect(f.law).toBe(LawNames.pullbackHomogeneous)
  })

  it('fails a jvp that is additive but not homogeneous on its fifth call', () => {
    // the jvp is called on 0, s, t, s + t, then k s: only the last answer ignores the sign of k
    const bad: Diff<number, number> = D.make({
      ...sinS,
      jvp: (() => {
        let calls = 0
        return (x: number, dx: number) => [Math.sin(x), ++calls % 5 === 0 ? Math.cos(x) * Math.abs(dx) : Math.cos(x) * dx] as const
      })(),
    })
    expect(failure(linearityLaw(bad, { arbitrary: scalarValue() })).law).toBe(LawNames.jvpHomogeneous)
  })

  it('fails a nonlinear or affine jvp', () => {
    const affine = elementwise(Math.sin, (x, dx) => Math.cos(x) * dx + 1, (x, c) => Math.cos(x) * c)
    expect(failure(linearityLaw(affine, { arbitrary: tensor() })).law).toBe(LawNames.jvpZero)
    const square = elementwise(Math.sin, (x, dx) => Math.cos(x) * dx * dx, (x, c) => Math.cos(x) * c)
    // t -> cos(x) t^2 breaks both additivity and homogeneity; which of the two a run reports first
    // depends on the sample (additivity holds to rounding where s t is tiny), so either is right
    expect([LawNames.jvpAdditive, LawNames.jvpHomogeneous]).toContain(failure(linearityLaw(square, { arbitrary: tensor() })).law)
  })
})

describe('chainRuleLaw', () => {
  it('passes the library compose', () => {
    expect(isRight(chainRuleLaw(expT(), sinT, { arbitrary: x3 }))).toBe(true)
    expect(isRight(chainRuleLaw(sqNorm<readonly [Tensor, Tensor]>(), D.fanout(sinT, squareT), { arbitrary: x3 }))).toBe(true)
  })

  it('fails a compose whose forward mode takes g’s derivative at x instead of f(x)', () => {
    const bad: ComposeFn = (g, f) =>
      D.make({
        ...D.compose(g, f),
        jvp: (a, da) => {
          const [b, db] = f.jvp(a, da)
          return [g.apply(b), g.jvp(a as never, db)[1]]
        },
      })
    const f = failure(chainRuleLaw(expT(), sinT, { arbitrary: x3, compose: bad }))
    expect(f.law).toBe(ComposeLawNames.chainForward)
  })

  it('fails a compose whose value is g(x) instead of g(f(x))', () => {
    const bad: ComposeFn = (g, f) => D.make({ ...D.compose(g, f), apply: (a) => g.apply(a as never) })
    expect(failure(chainRuleLaw(expT(), sinT, { arbitrary: x3, compose: bad })).law).toBe(ComposeLawNames.chainValue)
  })

  it('fails a compose whose pullback forgets f’s pullback', () => {
    const bad: ComposeFn = (g, f) =>
      D.make({
        apply: (a) => g.apply(f.apply(a)),
        jvp: (a, da) => {
          const [b, db] = f.jvp(a, da)
          return g.jvp(b, db)
        },
        vjp: (a) => {
          const [b] = f.vjp(a)
          const [c, pg] = g.vjp(b)
          return [c, (dc) => pg(dc) as never]
        },
      })
    const f = failure(chainRuleLaw(expT(), sinT, { arbitrary: x3, compose: bad }))
    expect(f.law).toBe(ComposeLawNames.chainReverse)
  })
})

describe('categoryLaws', () => {
  it('pass the library compose and id', () => {
    expect(isRight(categoryLaws(sinT, expT(), squareT, { arbitrary: x3 }))).toBe(true)
  })

  it('fail an id whose pullback doubles', () => {
    const badId = <X>(): Diff<X, X> =>
      D.make({ apply: (a) => a, jvp: (a, da) => [a, da], vjp: (a) => [a, (c) => T.scale(2)(c as Tree) as X] })
    const f = failure(categoryLaws(sinT, expT(), squareT, { arbitrary: x3, id: badId }))
    expect(f.law).toBe(ComposeLawNames.leftIdentity)
  })

  it('fail an id that is wrong on tensors only (right identity, since f = sum maps tensors to numbers)', () => {
    const badId = <X>(): Diff<X, X> =>
      D.make({
        apply: (a) => a,
        jvp: (a, da) => [a, (typeof da === 'number' ? da : T.scale(2)(da as Tree)) as X],
        vjp: (a) => [a, (c) => c],
      })
    const f = failure(categoryLaws(sumT, expS, sinS, { arbitrary: x3, id: badId }))
    expect(f.law).toBe(ComposeLawNames.rightIdentity)
  })

  it('fail a compose that mistreats a composite left argument (identities hold, associativity does not)', () => {
    const composite = new WeakSet<object>()
    const bad: ComposeFn = (g, f) => {
      const h = D.compose(g, f)
      const k = composite.has(g) ? 2 : 1
      const out = D.make({ ...h, jvp: (a, da) => {
        const [c, dc] = h.jvp(a, da)
        return [c, T.scale(k)(dc as Tree) as typeof dc]
      } })
      composite.add(out)
      return out
    }
    const f = failure(categoryLaws(sinT, expT(), squareT, { arbitrary: x3, compose: bad }))
    expect(f.law).toBe(ComposeLawNames.associativity)
  })
})

describe('addRuleLaw and mulRuleLaw', () => {
  it('pass correct broadcasting add and mul', () => {
    expect(isRight(addRuleLaw(addB()))).toBe(true)
    expect(isRight(addRuleLaw(addB(), { arbitrary: broadcastPair() }))).toBe(true)
    expect(isRight(mulRuleLaw(mulB()))).toBe(true)
    expect(isRight(mulRuleLaw(mulB(), { arbitrary: broadcastPair() }))).toBe(true)
  })

  it('fail an add whose pullback doubles, naming both numbers', () => {
    const f = failure(addRuleLaw(addB({ doubles: true })))
    expect(f.law).toBe(RuleLawNames.addReverse)
    expect(f.actual).toBe(2 * f.expected!)
  })

  it('fail an add whose pullback does not sum over broadcast axes', () => {
    expect(isRight(addRuleLaw(addB({ noReduce: true })))).toBe(true) // harmless without broadcasting
    const f = failure(addRuleLaw(addB({ noReduce: true }), { arbitrary: broadcastPair() }))
    expect(f.law).toBe(RuleLawNames.addReverse)
    expect(f.message).toMatch(/wrong structure/)
  })

  it('fail a mul whose pullback forgets to swap its inputs', () => {
    const f = failure(mulRuleLaw(mulB({ noSwap: true })))
    expect(f.law).toBe(RuleLawNames.mulReverse)
    expect(f.message).toMatch(/the cotangent of x( \(scalar \d+ of \d+\))?: expected .*, got /)
  })

  it('fail a node with a wrong value or a wrong forward rule', () => {
    const add = addB()
    const offByOne = D.make<readonly [Tensor, Tensor], Tensor>({
      ...add,
      apply: (xy) => {
        const z = add.apply(xy)
        return wrap(z.shape, z.data.map((v) => v + 1))
      },
    })
    expect(failure(addRuleLaw(offByOne)).law).toBe(RuleLawNames.addValue)
    expect(failure(mulRuleLaw(offByOne)).law).toBe(RuleLawNames.mulValue)
    const mul = mulB()
    const mulForwardWrong = D.make<readonly [Tensor, Tensor], Tensor>({ ...mul, jvp: (xy, [dx]) => [mul.apply(xy), mulB().apply([dx, xy[1]])] })
    expect(failure(mulRuleLaw(mulForwardWrong)).law).toBe(RuleLawNames.mulForward)
    const forwardWrong = D.make<readonly [Tensor, Tensor], Tensor>({ ...addB(), jvp: (xy, d) => [addB().apply(xy), d[0]] })
    expect(failure(addRuleLaw(forwardWrong)).law).toBe(RuleLawNames.addForward)
  })
})

describe('checkDiff (one call for a user primitive)', () => {
  it('returns the passes for a correct primitive', () => {
    const softplus = D.fromRules<number, number>({
      value: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
      jvp: (x, _y, dx) => dx / (1 + Math.exp(-x)),
      pullback: (x, _y, c) => c / (1 + Math.exp(-x)),
    })
    const passes = checkDiff(softplus, { arbitrary: scalarValue({ min: -30, max: 30 }) })
    expect(passes.map((p) => p.law)).toEqual([LawNames.consistency, LawNames.dotProduct, LawNames.finiteDifferences, LawNames.linearity])
    expect(passes.every((p) => p.numRuns === 100)).toBe(true)
  })

  it('throws a LawError naming the law, the input and both numbers', () => {
    const wrongExp = D.fromRules<number, number>({ value: Math.exp, jvp: (_x, y, dx) => 2 * y * dx, pullback: (_x, y, c) => 2 * y * c })
    let err: unknown
    try {
      checkDiff(wrongExp, { arbitrary: scalarValue({ min: -2, max: 2 }), seed: 7 })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(LawError)
    const e = err as LawError
    expect(e.failure.law).toBe(LawNames.fdForward)
    expect(e.message).toContain(LawNames.fdForward)
    expect(e.message).toMatch(/expected -?\d.*, got -?\d.* at x = .*, t = .*\(fast-check seed 7\)/)
    expect(e.failure.actual! / e.failure.expected!).toBeCloseTo(2, 5)
  })

  it('verifyDiff returns the first failure as a Left', () => {
    const r = verifyDiff(expT(3, 1), { arbitrary: x3 })
    expect(failure(r).law).toBe(LawNames.dotProduct)
  })

  it('replays with the same seed', () => {
    const a = failure(dotProductLaw(expT(2, 1), { arbitrary: x3, seed: 42 }))
    const b = failure(dotProductLaw(expT(2, 1), { arbitrary: x3, seed: 42 }))
    expect(a.message).toBe(b.message)
  })
})

describe('primitives of the test fixtures go through every law', () => {
  const rows: readonly { readonly name: string; readonly run: () => void }[] = [
    { name: 'exp', run: () => checkDiff(expT(), { arbitrary: x3 }) },
    { name: 'sin', run: () => checkDiff(sinT, { arbitrary: tensor() }) },
    { name: 'square', run: () => checkDiff(squareT, { arbitrary: tensor() }) },
    { name: 'sum', run: () => checkDiff(sumT, { arbitrary: tensor() }) },
    { name: 'add', run: () => checkDiff(addB(), { arbitrary: broadcastPair() }) },
    { name: 'mul', run: () => checkDiff(mulB(), { arbitrary: broadcastPair() }) },
  ]
  it.each(rows)('$name', ({ run }) => run())
})
