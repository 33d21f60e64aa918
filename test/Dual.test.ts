/**
 * Forward mode: dual numbers, derivatives, nesting without perturbation confusion, higher
 * derivatives of sigmoid and tanh against their closed forms, pushforward and jvp.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Dual from '../src/Dual.js'
import { floatingNumber as N, type Floating, type MultiFn, type ScalarFn, type VectorFn } from '../src/Floating.js'
import { scalarPoint } from '../laws/index.js'
import { expressions, type Case } from './fixtures/scalar.expressions.js'

const D = Dual.getFloating(N)

/** |a - e| <= rtol * max(|e|, |a|) + atol, with NaN never close. */
const close = (actual: number, expected: number, rtol: number, atol = 0): boolean =>
  Math.abs(actual - expected) <= rtol * Math.max(Math.abs(expected), Math.abs(actual)) + atol

/** The sigmoid, generic and stable (no exp overflows). */
const sigmoid: ScalarFn = (F) => (x) => {
  if (F.primal(x) >= 0) return F.recip(F.add(F.one, F.exp(F.neg(x))))
  const e = F.exp(x)
  return F.div(e, F.add(F.one, e))
}

describe('dual numbers', () => {
  it('the dual instance over numbers carries value and tangent', () => {
    expect(D.mul(Dual.dual(3, 1), Dual.dual(3, 1))).toEqual({ re: 9, eps: 6 })
    expect(D.of(2)).toEqual({ re: 2, eps: 0 })
    expect(D.primal(Dual.dual(4, 7))).toBe(4)
    expect(D.zero).toEqual({ re: 0, eps: 0 })
    expect(D.one).toEqual({ re: 1, eps: 0 })
    expect(D.degree(D.one)).toBe(1)
  })

  it('getFloating builds one instance per base instance', () => {
    expect(Dual.getFloating(N)).toBe(D)
    expect(Dual.getFloating(D)).toBe(Dual.getFloating(D))
  })

  it('a constant zero tangent stays zero through an infinite local derivative', () => {
    // sqrt'(0) and log'(0) are +Infinity, but a constant has no tangent to multiply
    expect(Dual.derivative((F) => (x) => F.add(x, F.sqrt(F.zero)))(1)).toBe(1)
    expect(Dual.derivative((F) => (x) => F.mul(x, F.log(F.zero)))(1)).toBe(-Infinity)
    expect(Dual.derivative((F) => (x) => F.add(x, F.pow(F.zero, F.of(0.5))))(2)).toBe(1)
    // div by a constant 0: the rule's partials are infinite, the constants' tangents are not multiplied
    expect(Dual.derivative((F) => (x) => F.add(x, F.div(F.one, F.zero)))(1)).toBe(1)
    expect(Dual.derivative((F) => (x) => F.div(x, F.zero))(1)).toBe(Infinity)
    expect(Dual.nthDerivative(2)((F) => (x) => F.add(F.mul(x, x), F.div(F.one, F.zero)))(1)).toBe(2)
    // nested: the second derivative of x + sqrt(0)
    expect(Dual.nthDerivative(2)((F) => (x) => F.add(F.mul(x, x), F.sqrt(F.zero)))(1)).toBe(2)
  })
})

describe('derivative', () => {
  it("the seed's worked example: z = t^2 with t = x + y, dz/dx = 2(x + y)", () => {
    fc.assert(
      fc.property(scalarPoint({ min: -1e3, max: 1e3 }), scalarPoint({ min: -1e3, max: 1e3 }), (x, y) => {
        const z: ScalarFn = (F) => (xv) => {
          const t = F.add(xv, F.of(y))
          return F.mul(t, t)
        }
        expect(Dual.derivative(z)(x)).toBe(2 * (x + y))
        const zxy: MultiFn = (F) => ([a = F.zero, b = F.zero]) => {
          const t = F.add(a, b)
          return F.mul(t, t)
        }
        expect(Dual.jvp(zxy)([x, y], [1, 0])).toEqual([(x + y) * (x + y), 2 * (x + y)])
        expect(Dual.jvp(zxy)([x, y], [0, 1])[1]).toBe(2 * (x + y))
      }),
    )
  })

  it('polynomials, by hand', () => {
    fc.assert(
      fc.property(scalarPoint({ min: -100, max: 100 }), (x) => {
        const cube: ScalarFn = (F) => (v) => F.mul(v, F.mul(v, v))
        // (an absolute floor for x^2 in the subnormals)
        expect(close(Dual.derivative(cube)(x), 3 * x * x, 1e-15, 1e-300)).toBe(true)
        expect(close(Dual.derivativeOf(Dual.derivativeOf(cube))(N)(x), 6 * x, 1e-15, 1e-300)).toBe(true)
        expect(Dual.nthDerivative(3)(cube)(x)).toBe(6)
        expect(Dual.nthDerivative(4)(cube)(x)).toBe(0)
      }),
    )
  })

  it('derivativeOf is itself a generic scalar function: evaluate it in any mode', () => {
    const f: ScalarFn = (F) => (x) => F.sin(F.mul(x, x))
    const df = Dual.derivativeOf(f)
    expect(df(N)(1)).toBe(Dual.derivative(f)(1))
    expect(df(N)(1)).toBeCloseTo(2 * Math.cos(1), 15)
    // its own derivative by forward mode: d/dx 2x cos(x^2) = 2 cos(x^2) - 4x^2 sin(x^2)
    expect(Dual.derivative(df)(1)).toBeCloseTo(2 * Math.cos(1) - 4 * Math.sin(1), 14)
  })

  it('nthDerivative: exp and sin to order 6', () => {
    for (let n = 0; n <= 6; n++) {
      expect(Dual.nthDerivative(n)((F) => F.exp)(0)).toBe(1)
      expect(Dual.nthDerivative(n)((F) => F.exp)(1.5)).toBeCloseTo(Math.exp(1.5), 13)
      const sinN = [Math.sin, Math.cos, (x: number) => -Math.sin(x), (x: number) => -Math.cos(x)][n % 4]!
      expect(close(Dual.nthDerivative(n)((F) => F.sin)(0.7), sinN(0.7), 1e-14)).toBe(true)
    }
  })

  it('nthDerivative rejects a negative or fractional order', () => {
    expect(() => Dual.nthDerivative(-1)((F) => F.exp)).toThrow(RangeError)
    expect(() => Dual.nthDerivative(1.5)((F) => F.exp)).toThrow(/whole number n >= 0, got 1.5/)
  })
})

describe('nesting without perturbation confusion', () => {
  it('D(x => x * D(y => x + y)(1))(1) = 1', () => {
    const f: ScalarFn = (F) => (x) => F.mul(x, Dual.derivativeIn(F)((Din, lift) => (y) => Din.add(lift(x), y))(F.one))
    expect(Dual.derivative(f)(1)).toBe(1)
    // and at any x: d/dx [x * 1] = 1
    fc.assert(fc.property(scalarPoint({ min: -1e6, max: 1e6 }), (x) => Dual.derivative(f)(x) === 1))
  })

  it('the same example with one shared tag (no lift) confuses the perturbations and gives 2', () => {
    // what the types prevent: a naive D that reuses the outer dual numbers inside
    const naiveD =
      (g: (y: Dual.Dual<number>) => Dual.Dual<number>) =>
      (y: number): Dual.Dual<number> =>
        Dual.dual(g(Dual.dual(y, 1)).eps, 0)
    const outer = (x: Dual.Dual<number>) => D.mul(x, naiveD((y) => D.add(x, y))(1))
    expect(outer(Dual.dual(1, 1)).eps).toBe(2)
  })

  it('an unlifted outer variable in derivativeIn is a compile error', () => {
    const f: ScalarFn = (F) => (x) =>
      F.mul(
        x,
        Dual.derivativeIn(F)((Din) => (y) =>
          // @ts-expect-error x has the outer mode's type; the inner mode needs lift(x)
          Din.add(x, y),
        )(F.one),
      )
    expect(f).toBeTypeOf('function')
  })

  it('mixed partial derivatives by nesting: d/dx d/dy (x y^2) = 2y', () => {
    fc.assert(
      fc.property(scalarPoint({ min: -100, max: 100 }), scalarPoint({ min: -100, max: 100 }), (x0, y0) => {
        const dfdy = <A>(F: Floating<A>) => (x: A): A =>
          Dual.derivativeIn(F)((Din, lift) => (y) => Din.mul(lift(x), Din.mul(y, y)))(F.of(y0))
        // (=== so that -0 and 0 are the same)
        expect(Dual.derivative(dfdy)(x0) === 2 * y0).toBe(true)
      }),
    )
  })
})

describe('higher derivatives of sigmoid and tanh against their closed forms', () => {
  // p = sigmoid(x), q = sigmoid(-x) = 1 - p, computed without cancellation
  const p = (x: number) => sigmoid(N)(x)
  const q = (x: number) => sigmoid(N)(-x)
  const sigmoidDerivs = [
    (x: number) => p(x),
    (x: number) => p(x) * q(x),
    (x: number) => p(x) * q(x) * (q(x) - p(x)),
    (x: number) => p(x) * q(x) * (1 - 6 * p(x) * q(x)),
  ]
  // s = sech^2(x) = 1 / cosh^2(x), t = tanh(x)
  const s = (x: number) => 1 / Math.cosh(x) ** 2
  const t = Math.tanh
  const tanhDerivs = [
    (x: number) => t(x),
    (x: number) => s(x),
    (x: number) => -2 * t(x) * s(x),
    (x: number) => -2 * s(x) * (3 * s(x) - 2),
  ]
  const xs = scalarPoint({ min: -30, max: 30 })

  for (let n = 0; n <= 3; n++) {
    it(`sigmoid, order ${n}, forward over forward`, () => {
      fc.assert(
        fc.property(xs, (x) => {
          const ad = Dual.nthDerivative(n)(sigmoid)(x)
          expect(close(ad, sigmoidDerivs[n]!(x), 1e-9, 1e-15)).toBe(true)
        }),
      )
    })
    it(`tanh, order ${n}, forward over forward`, () => {
      fc.assert(
        fc.property(xs, (x) => {
          const ad = Dual.nthDerivative(n)((F) => F.tanh)(x)
          expect(close(ad, tanhDerivs[n]!(x), 1e-9, 1e-15)).toBe(true)
        }),
      )
    })
  }

  it('sigmoid at 0: 1/2, 1/4, 0, -1/8; tanh at 0: 0, 1, 0, -2', () => {
    expect([0, 1, 2, 3].map((n) => Dual.nthDerivative(n)(sigmoid)(0))).toEqual([0.5, 0.25, 0, -0.125])
    expect([0, 1, 2, 3].map((n) => Dual.nthDerivative(n)((F) => F.tanh)(0))).toEqual([0, 1, 0, -2])
  })

  it("tanh' stays accurate in the tails, where 1 - tanh^2 is 0", () => {
    // sech^2(20) = 4 e^-40 / (1 + e^-40)^2
    const e = Math.exp(-40)
    expect(close(Dual.derivative((F) => F.tanh)(20), (4 * e) / (1 + e) ** 2, 1e-14)).toBe(true)
    expect(Dual.derivative((F) => F.tanh)(-360)).toBeGreaterThan(0)
    expect(Dual.derivative((F) => F.tanh)(1000)).toBe(0)
  })
})

describe('pushforward and jvp', () => {
  it('pushforward gives the values and J t', () => {
    const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y), F.sin(x)]
    expect(Dual.pushforward(f)([2, 3], [1, 0])).toEqual([
      [6, 5, Math.sin(2)],
      [3, 1, Math.cos(2)],
    ])
    expect(Dual.pushforward(f)([2, 3], [0, 1])[1]).toEqual([2, 1, 0])
  })

  it('jvp is linear in the tangent', () => {
    const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.exp(x), F.cos(y))
    fc.assert(
      fc.property(
        fc.tuple(scalarPoint({ min: -3, max: 3 }), scalarPoint({ min: -3, max: 3 })),
        fc.tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -8, max: 8 })),
        ([x, y], [a, b]) => {
          const [, d1] = Dual.jvp(f)([x, y], [1, 0])
          const [, d2] = Dual.jvp(f)([x, y], [0, 1])
          const [v, dab] = Dual.jvp(f)([x, y], [a, b])
          expect(v).toBe(Math.exp(x) * Math.cos(y))
          // to 1e-14 of the terms: a d1 and b d2 may cancel (at x = -3, y = -2.4537, t = (-5, -6) they
          // are -0.19 and 0.19 with a sum of 0.0027), and two roundings of a sum differ by ulps of its terms
          expect(Math.abs(dab - (a * d1 + b * d2)), `${dab} vs ${a * d1 + b * d2}`).toBeLessThanOrEqual(1e-14 * (Math.abs(a * d1) + Math.abs(b * d2)) + 1e-300)
        },
      ),
    )
  })

  it('mismatched tangents are a RangeError naming the counts', () => {
    expect(() => Dual.pushforward((F) => (xs) => xs)([1, 2], [1])).toThrow(/expected as many tangents as inputs \(2\), got 1/)
    expect(() => Dual.jvp((F) => ([x = F.zero]) => x)([1], [])).toThrow(RangeError)
  })

  it('a function of no variables', () => {
    expect(Dual.jvp((F) => () => F.of(3))([], [])).toEqual([3, 0])
    expect(Dual.pushforward((F) => () => [F.of(1), F.of(2)])([], [])).toEqual([
      [1, 2],
      [0, 0],
    ])
  })
})

describe('PyTorch fixtures, forward mode', () => {
  const fixtures = JSON.parse(readFileSync(new URL('./fixtures/scalar.json', import.meta.url), 'utf8')) as {
    readonly cases: readonly Case[]
  }
  for (const c of fixtures.cases) {
    it(`${c.name} at [${c.x.join(', ')}]: value and every partial derivative by jvp`, () => {
      const f = expressions[c.name]!
      c.x.forEach((_, j) => {
        const ts = c.x.map((_, i) => (i === j ? 1 : 0))
        const [v, d] = Dual.jvp(f)(c.x, ts)
        expect(close(v, c.value, 1e-13, 1e-13)).toBe(true)
        expect(close(d, c.gradient[j]!, 1e-12, 1e-12)).toBe(true)
      })
    })
  }
})
