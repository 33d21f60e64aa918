/**
 * Reverse mode in plain JS (issue 13 item 7): variables know their call. Constant results, results
 * that are not numbers or variables, nested gradients that share variables (tagged tapes), and
 * variables used after their call. Each case failed before variables carried their call's tag.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Floating, MultiFn, VectorFn } from '../src/Floating.js'
import * as Reverse from '../src/Reverse.js'
import { scalarPoint } from '../laws/index.js'

/** A value of one instance used as a value of another, as plain JS allows (nesting shares variables so). */
const as = <B>(u: unknown): B => u as B

/** A function the type system would refuse, as a plain-JS user may write it. */
const untyped = (f: (F: Floating<unknown>) => (xs: readonly unknown[]) => unknown): MultiFn => f as unknown as MultiFn

const close = (a: number, e: number, rtol: number): boolean => Math.abs(a - e) <= rtol * Math.max(1, Math.abs(e))

describe('a constant result', () => {
  it('has its value and a zero gradient, whether a number or F.of(c)', () => {
    // before: a bare 3 was read as tape node 3, the second input: [20, [0, 1, 0, 0]]
    expect(Reverse.valueAndGrad(untyped(() => () => 3))([10, 20, 30, 40])).toEqual([3, [0, 0, 0, 0]])
    expect(Reverse.valueAndGrad((F) => () => F.of(3))([10, 20])).toEqual([3, [0, 0]])
    expect(Reverse.valueAndGrad(untyped(() => () => -0.5))([1])).toEqual([-0.5, [0]])
    const [ys, pullback] = Reverse.vjp(untyped(() => ([x]) => [7, x]) as unknown as VectorFn)([2])
    expect(ys).toEqual([7, 2])
    expect(pullback([5, 1])).toEqual([1])
    expect(Reverse.jacrev(untyped(() => ([x]) => [7, x]) as unknown as VectorFn)([2])).toEqual([[0], [1]])
  })

  it('a plain number met by an operation is a constant', () => {
    const f = untyped((F) => ([x]) => F.mul(x, as(5)))
    expect(Reverse.valueAndGrad(f)([3])).toEqual([15, [5]])
  })
})

describe('a result that is not a number or a variable', () => {
  it('is a TypeError naming what came back', () => {
    // before: undefined gave [0, [0, 0]]
    expect(() => Reverse.valueAndGrad(untyped(() => () => undefined))([1, 2])).toThrow(TypeError)
    expect(() => Reverse.valueAndGrad(untyped(() => () => undefined))([1, 2])).toThrow(
      /^Reverse\.valueAndGrad, the result of f: expected a number or a variable of this gradient call, found undefined$/,
    )
    expect(() => Reverse.grad(untyped(() => () => 'x'))([1])).toThrow(/found the string "x"/)
    expect(() => Reverse.grad(untyped(() => () => ({ re: 1 })))([1])).toThrow(/found an object that is not a variable/)
    expect(() => Reverse.grad(untyped(() => () => [1]))([1])).toThrow(/found an array of length 1/)
    expect(() => Reverse.vjp(untyped(() => () => 1) as unknown as VectorFn)([1])).toThrow(/Reverse\.vjp: expected f to return an array of results, found number/)
    expect(() => Reverse.vjp(untyped(() => () => [null]) as unknown as VectorFn)([1])).toThrow(/result 0 of f: .* found null/)
  })

  it('an operation given something else is a TypeError naming the operation', () => {
    expect(() => Reverse.grad(untyped((F) => ([x]) => F.mul(x, as('2'))))([1])).toThrow(/^Reverse mode, mul: expected a number or a variable of this gradient call, found the string "2"$/)
    expect(() => Reverse.grad(untyped((F) => ([x]) => F.sin(as(x === undefined ? 0 : undefined))))([1])).toThrow(/Reverse mode, sin: .*found undefined/)
  })
})

describe('nested gradients (tagged tapes)', () => {
  it('d/dx (x * d/dy (x + y)) = 1', () => {
    // before: the inner call read x as its own node 2 (its y): d/dy (y + y) = 2, so 2
    const f: MultiFn = <A>(F: Floating<A>) => ([x = F.zero]: readonly A[]) => {
      const inner = Reverse.grad(<B>(G: Floating<B>) => ([y = G.zero]: readonly B[]) => G.add(as<B>(x), y))([1])[0]!
      return F.mul(x, F.of(inner))
    }
    expect(Reverse.grad(f)([0.7])).toEqual([1])
  })

  it('d/dx (x * d/dy (x * y)) = 2x: an outer variable used inside an inner gradient', () => {
    // before: 2 (the inner call computed d/dy (y * y) at y = 1)
    const f: MultiFn = <A>(F: Floating<A>) => ([x = F.zero]: readonly A[]) => {
      const inner = Reverse.grad(<B>(G: Floating<B>) => ([y = G.zero]: readonly B[]) => G.mul(as<B>(x), y))([1])[0]!
      return F.mul(x, F.of(inner))
    }
    expect(Reverse.valueAndGrad(f)([3])).toEqual([9, [6]])
  })

  it('an outer variable as the input of an inner gradient: d/dx (d/dy y^2 at y = x) = 2', () => {
    // before: the variable was read as the number of its node (2), giving 0
    const f: MultiFn = <A>(F: Floating<A>) => ([x = F.zero]: readonly A[]) =>
      F.of(Reverse.grad(<B>(G: Floating<B>) => ([y = G.zero]: readonly B[]) => G.mul(y, y))([as<number>(x)])[0]!)
    expect(Reverse.valueAndGrad(f)([5])).toEqual([10, [2]])
  })

  it('three levels: d/dx (x * d/dy (x y * d/dz (x y z))) = 6x^2 at y = z = 1', () => {
    const f: MultiFn = <A>(F: Floating<A>) => ([x = F.zero]: readonly A[]) => {
      const g = Reverse.grad(<B>(G: Floating<B>) => ([y = G.zero]: readonly B[]) => {
        const xy = G.mul(as<B>(x), y)
        const h = Reverse.grad(<C>(H: Floating<C>) => ([z = H.zero]: readonly C[]) => H.mul(as<C>(xy), z))([1])[0]!
        return G.mul(xy, G.of(h))
      })([1])[0]!
      return F.mul(x, F.of(g))
    }
    expect(Reverse.valueAndGrad(f)([2])).toEqual([16, [24]])
  })

  it('reverse over reverse gives the Hessian that reverse over forward gives (property)', () => {
    const f: MultiFn = <A>(F: Floating<A>) => (xs: readonly A[]) => {
      let s = F.mul(F.mul(xs[0]!, xs[0]!), F.exp(xs[1]!))
      for (let i = 0; i + 1 < xs.length; i++) s = F.add(s, F.mul(F.sin(xs[i]!), F.tanh(xs[i + 1]!)))
      return s
    }
    fc.assert(
      fc.property(fc.array(scalarPoint({ min: -2, max: 2 }), { minLength: 2, maxLength: 5 }), (xs) => {
        const H = Reverse.hessian(f)(xs)
        xs.forEach((_, j) => {
          const row = Reverse.grad(<A>(F: Floating<A>) => (vs: readonly A[]) => F.of(Reverse.grad(f)(as<number[]>(vs))[j]!))(xs)
          row.forEach((h, i) => expect(close(h, H[j]![i]!, 1e-12)).toBe(true))
        })
      }),
      { numRuns: 200 },
    )
  })

  it('a gradient inside another that uses only numbers stays on its own tape and returns numbers', () => {
    const f: MultiFn = <A>(F: Floating<A>) => ([x = F.zero]: readonly A[]) => {
      const inner = Reverse.grad(<B>(G: Floating<B>) => ([y = G.zero]: readonly B[]) => G.mul(y, y))([F.primal(x)])[0]!
      expect(typeof inner).toBe('number')
      return F.mul(x, F.of(inner))
    }
    expect(Reverse.valueAndGrad(f)([3])).toEqual([18, [6]])
  })
})

describe('a variable used outside its gradient call', () => {
  it('is an Error saying its call has ended', () => {
    let leaked: unknown
    Reverse.grad((F) => ([x = F.zero]) => {
      leaked = x
      return F.mul(x, x)
    })([2])
    // before: the variable was read as a node of the new call, silently
    const use = untyped((F) => ([y]) => F.add(y, as(leaked)))
    expect(() => Reverse.grad(use)([1])).toThrow(/^Reverse mode, add: a variable of a gradient call that has ended/)
    expect(() => Reverse.grad(untyped(() => () => leaked))([1])).toThrow(/the result of f: a variable of a gradient call that has ended/)
    expect(() => Reverse.grad(untyped(() => () => 0))([as<number>(leaked)])).toThrow(/input 0: a variable of a gradient call that has ended/)
  })
})
