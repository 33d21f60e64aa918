import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { like, scalarValue, tensor, tensorOf, tree } from '../laws/arbitraries-tensor.js'
import * as D from '../src/Diff.js'
import type { Diff } from '../src/Diff.js'
import type { Floating, MultiFn } from '../src/Floating.js'
import { grad, hvpFiniteDifference, jacfwd, jacrev, jvp, valueAndGrad, vjp } from '../src/Grad.js'
import { hessian, hvp } from '../src/Reverse.js'
import { ShapeError } from '../src/ShapeError.js'
import { fromData, wrap } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import * as T from '../src/Tree.js'
import type { Tree } from '../src/Tree.js'
import { expT, sinS, sinT, squareS, squareT, sumT, sumT0 } from './diff-fixtures.js'

/** |p|^2 of any tree: its gradient is 2p. */
const sqNorm = <A extends Tree>(): Diff<A, number> =>
  D.fromRules({
    value: (p) => T.dot(p, p),
    jvp: (p, _y, dp) => 2 * T.dot(p, dp),
    pullback: (p, _y, c) => T.scale(2 * c)(p),
  })

const vec = (t: Tree): number[] => Array.from(T.ravel(t)[0])

const close = (a: number, b: number, rtol: number): boolean => Math.abs(a - b) <= rtol * Math.max(1, Math.abs(a), Math.abs(b))

describe('grad and valueAndGrad', () => {
  it('known values on numbers and tensors', () => {
    const f = D.compose(sinS, squareS) // sin(x^2)
    expect(valueAndGrad(f)(0.5)).toEqual([Math.sin(0.25), 2 * 0.5 * Math.cos(0.25)])
    const g = D.flow(sinT, expT(), sumT) // sum(exp(sin x))
    const x = fromData([3], [0.1, -0.2, 0.3])
    const gx = grad(g)(x)
    expect(gx.shape).toEqual([3])
    Array.from(x.data).forEach((v, i) => expect(gx.data[i]).toBeCloseTo(Math.exp(Math.sin(v)) * Math.cos(v), 14))
  })

  it('the gradient has the tree structure of the input (|p|^2 has gradient 2p)', () => {
    fc.assert(
      fc.property(tree(), (p) => {
        const [v, g] = valueAndGrad(sqNorm<Tree>())(p)
        expect(T.structureEq(g, p)).toBe(true)
        expect(vec(g)).toEqual(vec(p).map((x) => 2 * x))
        expect(v).toBe(T.dot(p, p))
      }),
    )
  })

  it('accepts a tensor output of one element, of any rank', () => {
    const x = fromData([2, 2], [1, 2, 3, 4])
    expect(Array.from(grad(D.compose(sumT0, squareT))(x).data)).toEqual([2, 4, 6, 8])
    const reshaped = D.linear<Tensor, Tensor>(
      (t) => wrap([1, 1], Float64Array.of(t.data[0]!)),
      (c) => wrap([], Float64Array.of(c.data[0]!)),
    )
    expect(grad(D.flow(sumT0, reshaped))(fromData([2, 2], [1, 2, 3, 4])).data[0]).toBe(1)
  })

  it('refuses a non-scalar output with a ShapeError naming its shape', () => {
    const x = fromData([2, 3], [1, 2, 3, 4, 5, 6])
    expect(() => grad(sinT)(x)).toThrow(ShapeError)
    expect(() => grad(sinT)(x)).toThrow(/^grad: f to return a scalar \(a number or a tensor of one element\); use jacrev or vjp for other outputs; got shape \[2, 3\]$/)
    const pair = D.fanout(sqNorm<Tensor>(), sqNorm<Tensor>()) as unknown as Diff<Tensor, number>
    expect(() => grad(pair)(x)).toThrow(/found an array of length 2/)
  })

  it('does not write into its input and gives the same answer twice', () => {
    fc.assert(
      fc.property(tensor({ min: -3, max: 3 }), (x) => {
        const before = vec(x)
        const f = D.flow(sinT, expT(), sumT)
        const g1 = vec(grad(f)(x))
        const g2 = vec(grad(f)(x))
        expect(vec(x)).toEqual(before)
        expect(g1).toEqual(g2)
      }),
    )
  })
})

describe('jvp and vjp', () => {
  it('agree with the Diff and check the structure of tangents and cotangents', () => {
    const x = fromData([2], [0.5, 1])
    const t = fromData([2], [1, -1])
    expect(jvp(sinT)(x, t)).toEqual(sinT.jvp(x, t))
    const [y, pb] = vjp(sinT)(x)
    expect(y).toEqual(sinT.apply(x))
    expect(pb(t)).toEqual(sinT.vjp(x)[1](t))
    expect(() => jvp(sinT)(x, fromData([3], [1, 2, 3]))).toThrow(/jvp \(the tangent against the input\) at \$: tensors of equal shapes; got shapes \[2\] and \[3\]/)
    expect(() => pb(fromData([1], [1]))).toThrow(ShapeError)
    const p = { w: x, b: 1 }
    expect(() => jvp(sqNorm<Tree>())(p, { w: x, b: [1] })).toThrow(/at \$\.b: .*found a number and an array of length 1/)
  })
})

describe('jacfwd and jacrev', () => {
  it('known values, and the JAX layout over trees, the same in both modes', () => {
    const f = D.fromRules<readonly [number, number], readonly [number, number]>({
      value: ([x, y]) => [x * y, x + y],
      jvp: ([x, y], _z, [dx, dy]) => [dx * y + x * dy, dx + dy],
      pullback: ([x, y], _z, [c, d]) => [c * y + d, c * x + d],
    })
    for (const jacobian of [jacfwd, jacrev])
      expect(jacobian(f)([2, 3])).toEqual([
        [3, 2],
        [1, 1],
      ])
    // {a: number, w: [2]} -> [tensor [3] = w0 * (1, 2, 3) + a, number = a * w1]
    const g = D.fromRules<{ readonly a: number; readonly w: Tensor }, readonly [Tensor, number]>({
      value: ({ a, w }) => [wrap([3], Float64Array.from([1, 2, 3], (k) => w.data[0]! * k + a)), a * w.data[1]!],
      jvp: ({ a, w }, _y, { a: da, w: dw }) => [
        wrap([3], Float64Array.from([1, 2, 3], (k) => dw.data[0]! * k + da)),
        da * w.data[1]! + a * dw.data[1]!,
      ],
      pullback: ({ a, w }, _y, [c, d]) => ({
        a: c.data[0]! + c.data[1]! + c.data[2]! + d * w.data[1]!,
        w: wrap([2], Float64Array.of(c.data[0]! + 2 * c.data[1]! + 3 * c.data[2]!, d * a)),
      }),
    })
    for (const jacobian of [jacfwd, jacrev]) {
      const J = jacobian(g)({ a: 2, w: fromData([2], [5, 7]) }) as readonly [
        { readonly a: Tensor; readonly w: Tensor },
        { readonly a: number; readonly w: Tensor },
      ]
      expect(J[0].a.shape).toEqual([3])
      expect(Array.from(J[0].a.data)).toEqual([1, 1, 1])
      expect(J[0].w.shape).toEqual([3, 2])
      expect(Array.from(J[0].w.data)).toEqual([1, 0, 2, 0, 3, 0])
      expect(J[1].a).toBe(7)
      expect(J[1].w.shape).toEqual([2])
      expect(Array.from(J[1].w.data)).toEqual([0, 2])
    }
  })

  const jacobianMatches = <A extends Tree, B extends Tree>(f: Diff<A, B>, x: A, t: A, c: B): void => {
    for (const jacobian of [jacfwd, jacrev]) modeMatches(jacobian(f)(x), f, x, t, c)
  }

  const modeMatches = <A extends Tree, B extends Tree>(J: Tree, f: Diff<A, B>, x: A, t: A, c: B): void => {
    // J t = jvp(x, t) and c^T J = vjp(x)(c), read off the flattened blocks
    const n = T.size(x)
    const m = T.size(f.apply(x))
    const M = new Float64Array(m * n)
    // the blocks, in output-leaf then input-leaf order, tile M
    const flat = T.leaves(J)
    const xl = T.leaves(x)
    const yls = T.leaves(f.apply(x))
    let k = 0
    let r0 = 0
    for (const yl of yls) {
      const rows = typeof yl === 'number' ? 1 : yl.data.length
      let c0 = 0
      for (const xx of xl) {
        const cols = typeof xx === 'number' ? 1 : xx.data.length
        const b = flat[k++]!
        const data = typeof b === 'number' ? [b] : Array.from(b.data)
        for (let r = 0; r < rows; r++) for (let cc = 0; cc < cols; cc++) M[(r0 + r) * n + c0 + cc] = data[r * cols + cc]!
        c0 += cols
      }
      r0 += rows
    }
    const tv = vec(t)
    const cv = vec(c)
    const jt = vec(f.jvp(x, t)[1] as Tree)
    const g = vec(f.vjp(x)[1](c) as Tree)
    for (let i = 0; i < m; i++) {
      let s = 0
      for (let j = 0; j < n; j++) s += M[i * n + j]! * tv[j]!
      expect(close(s, jt[i]!, 1e-12)).toBe(true)
    }
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let i = 0; i < m; i++) s += cv[i]! * M[i * n + j]!
      expect(close(s, g[j]!, 1e-12)).toBe(true)
    }
  }

  it('with fewer outputs than inputs, both agree with jvp and vjp', () => {
    const f = D.fanout(sqNorm<Tree>(), sqNorm<Tree>())
    fc.assert(
      fc.property(
        tree({ minRank: 1 }).filter((t) => T.size(t) > 2).chain((x) => fc.tuple(fc.constant(x), like(x), like(f.apply(x) as Tree))),
        ([x, t, c]) => jacobianMatches(f, x, t, c as readonly [number, number]),
      ),
    )
  })

  it('with more outputs than inputs, both agree with jvp and vjp', () => {
    const f = D.flow(D.fanout(sinT, squareT), D.parallel(expT(), sinT))
    fc.assert(
      fc.property(
        tensor({ min: -2, max: 2 }).chain((x) => fc.tuple(fc.constant(x), like(x), like(f.apply(x) as Tree))),
        ([x, t, c]) => jacobianMatches(f, x, t, c as readonly [Tensor, Tensor]),
      ),
    )
  })
})

describe('second order', () => {
  // f(x) = sum_i sin(x_i) x_{i+1} + x_0^3, generic and as a Diff on a tensor
  const fGeneric: MultiFn = <A>(F: Floating<A>) => (xs: readonly A[]) => {
    let s = F.mul(F.mul(xs[0]!, xs[0]!), xs[0]!)
    for (let i = 0; i + 1 < xs.length; i++) s = F.add(s, F.mul(F.sin(xs[i]!), xs[i + 1]!))
    return s
  }
  const fDiff: Diff<Tensor, number> = D.fromRules({
    value: (x) => {
      const v = x.data
      let s = v[0]! ** 3
      for (let i = 0; i + 1 < v.length; i++) s += Math.sin(v[i]!) * v[i + 1]!
      return s
    },
    jvp: (x, _y, dx) => T.dot(fGrad(x), dx),
    pullback: (x, _y, c) => T.scale(c)(fGrad(x)),
  })
  const fGrad = (x: Tensor): Tensor => {
    const v = x.data
    const g = new Float64Array(v.length)
    g[0] = 3 * v[0]! ** 2
    for (let i = 0; i + 1 < v.length; i++) {
      g[i] = g[i]! + Math.cos(v[i]!) * v[i + 1]!
      g[i + 1] = g[i + 1]! + Math.sin(v[i]!)
    }
    return wrap(x.shape, g)
  }
  const hessianAnalytic = (v: readonly number[]): number[][] => {
    const n = v.length
    const H = Array.from({ length: n }, () => new Array<number>(n).fill(0))
    H[0]![0] = 6 * v[0]!
    for (let i = 0; i + 1 < n; i++) {
      H[i]![i] = H[i]![i]! - Math.sin(v[i]!) * v[i + 1]!
      H[i]![i + 1] = H[i]![i + 1]! + Math.cos(v[i]!)
      H[i + 1]![i] = H[i + 1]![i]! + Math.cos(v[i]!)
    }
    return H
  }
  const point = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(tensorOf([n], { min: -2, max: 2 }), tensorOf([n], { min: -1, max: 1 })))

  it('hvp of a generic function is the exact Hessian times v', () => {
    fc.assert(
      fc.property(point, ([x, v]) => {
        const xs = Array.from(x.data)
        const vs = Array.from(v.data)
        const Hv = hvp(fGeneric)(xs, vs)
        const H = hessianAnalytic(xs)
        const Hl = hessian(fGeneric)(xs)
        H.forEach((row, i) => {
          const e = row.reduce((s, h, j) => s + h * vs[j]!, 0)
          expect(close(Hv[i]!, e, 1e-13)).toBe(true)
          expect(close(Hl[i]!.reduce((s, h, j) => s + h * vs[j]!, 0), e, 1e-13)).toBe(true)
        })
      }),
    )
    expect(() => hvp(fGeneric)([1, 2], [1])).toThrow(RangeError)
  })

  it('hvpFiniteDifference of a Diff agrees with the exact product to about 1e-8', () => {
    fc.assert(
      fc.property(point, ([x, v]) => {
        const approx = vec(hvpFiniteDifference(fDiff)(x, v))
        const exact = hvp(fGeneric)(Array.from(x.data), Array.from(v.data))
        exact.forEach((e, i) => expect(close(approx[i]!, e, 1e-8)).toBe(true))
      }),
    )
    const z = fromData([2], [0, 0])
    expect(vec(hvpFiniteDifference(fDiff)(fromData([2], [1, 2]), z))).toEqual([0, 0])
  })

  it('hvpFiniteDifference works on trees and refuses a direction of another structure', () => {
    const p = { w: fromData([2], [1, 2]), b: 3 }
    const Hv = hvpFiniteDifference(sqNorm<Tree>())(p, { w: fromData([2], [1, 0]), b: 1 })
    expect(T.structureEq(Hv, p)).toBe(true)
    vec(Hv).forEach((h, i) => expect(h).toBeCloseTo([2, 2, 0][i]!, 8))
    expect(() => hvpFiniteDifference(sqNorm<Tree>())(p, { w: fromData([2], [1, 0]) } as Tree)).toThrow(ShapeError)
  })
})

describe('scalar sanity', () => {
  it('grad matches a central difference on numbers', () => {
    fc.assert(
      fc.property(scalarValue({ min: -2, max: 2 }), (x) => {
        const f = D.flow(squareS, sinS)
        const h = 1e-6
        const fd = (f.apply(x + h) - f.apply(x - h)) / (2 * h)
        expect(close(grad(f)(x), fd, 1e-7)).toBe(true)
      }),
    )
  })
})
