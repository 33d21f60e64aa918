/**
 * Scalar reverse mode: gradients against hand-derived values and PyTorch, a million-operation
 * chain, no state between calls, fan-out sums, zero variables, vjp, Jacobians by rows and by
 * columns, and Hessians against closed forms and PyTorch.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Dual from '../src/Dual.js'
import type { Floating, MultiFn, VectorFn } from '../src/Floating.js'
import * as Reverse from '../src/Reverse.js'
import { scalarPoint } from '../laws/index.js'
import { expressions, type Case } from './fixtures/scalar.expressions.js'

/** |a - e| <= rtol * max(|e|, |a|) + atol, with NaN never close. */
const close = (actual: number, expected: number, rtol: number, atol = 0): boolean =>
  Math.abs(actual - expected) <= rtol * Math.max(Math.abs(expected), Math.abs(actual)) + atol

const expectClose = (actual: readonly number[], expected: readonly number[], rtol: number, atol = 0): void => {
  expect(actual.length).toBe(expected.length)
  actual.forEach((a, i) => {
    if (!close(a, expected[i]!, rtol, atol)) expect.fail(`entry ${i}: expected ${expected[i]}, got ${a}`)
  })
}

/** Points in [min, max]: mostly spread evenly, some tiny (fc.double alone draws ~90% below 1e-10). */
const finite = (min = -10, max = 10) => scalarPoint({ min, max })

describe('gradient', () => {
  it("the seed's worked example: z = t^2 with t = x + y, dz/dx = dz/dy = 2(x + y)", () => {
    const z: MultiFn = (F) => ([x = F.zero, y = F.zero]) => {
      const t = F.add(x, y)
      return F.mul(t, t)
    }
    expect(Reverse.valueAndGrad(z)([1, 2])).toEqual([9, [6, 6]])
    fc.assert(
      fc.property(finite(-1e3, 1e3), finite(-1e3, 1e3), (x, y) => {
        const [v, g] = Reverse.valueAndGrad(z)([x, y])
        expect(v).toBe((x + y) * (x + y))
        expect(g).toEqual([2 * (x + y), 2 * (x + y)])
      }),
    )
  })

  it('micrograd-style expressions, by hand', () => {
    // f(a, b) = a b + sin(a) e^b: df/da = b + cos(a) e^b, df/db = a + sin(a) e^b
    const f: MultiFn = (F) => ([a = F.zero, b = F.zero]) => F.add(F.mul(a, b), F.mul(F.sin(a), F.exp(b)))
    fc.assert(
      fc.property(finite(-5, 5), finite(-5, 5), (a, b) => {
        const [da, db] = Reverse.grad(f)([a, b])
        expect(close(da!, b + Math.cos(a) * Math.exp(b), 1e-14, 1e-14)).toBe(true)
        expect(close(db!, a + Math.sin(a) * Math.exp(b), 1e-14, 1e-14)).toBe(true)
      }),
    )
    // a neuron: tanh(w x + b) with w = -3, x = 2, b = 6.8813735870195432: o = 1/sqrt(2)
    const neuron: MultiFn = (F) => ([x = F.zero, w = F.zero, b = F.zero]) => F.tanh(F.add(F.mul(w, x), b))
    const [o, [dx, dw, dbias]] = Reverse.valueAndGrad(neuron)([2, -3, 6.8813735870195432])
    expect(o).toBeCloseTo(Math.SQRT1_2, 15)
    // do/dn = 1 - o^2 = 1/2
    expect(dx).toBeCloseTo(-1.5, 14)
    expect(dw).toBeCloseTo(1, 14)
    expect(dbias).toBeCloseTo(0.5, 14)
  })

  it('a value used many times receives the sum of its cotangents', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 50 }), finite(), (cs, x0) => {
        // f(x) = sum_i c_i x: every use sends its own cotangent c_i back to x
        const f: MultiFn = (F) => ([x = F.zero]) => cs.reduce((acc, c) => F.add(acc, F.mul(F.of(c), x)), F.zero)
        expect(Reverse.grad(f)([x0])).toEqual([cs.reduce((a, b) => a + b, 0)])
      }),
    )
    // x * x * x: three uses, 3 x^2
    expect(Reverse.grad((F) => ([x = F.zero]) => F.mul(F.mul(x, x), x))([2])).toEqual([12])
    // a shared intermediate: t = x + y used twice in t * t
    expect(Reverse.grad((F) => ([x = F.zero, y = F.zero]) => F.mul(F.add(x, y), F.add(x, y)))([1, 2])).toEqual([6, 6])
  })

  it('a chain of 1,000,000 operations works (no recursion), and twice gives the identical answer', () => {
    const n = 1_000_000
    const chain: MultiFn = (F) => ([x0 = F.zero, w = F.zero]) => {
      let x = x0
      for (let i = 0; i < n / 2; i++) x = F.add(F.mul(x, w), x0)
      return x
    }
    const first = Reverse.valueAndGrad(chain)([0.5, 0.9])
    const second = Reverse.valueAndGrad(chain)([0.5, 0.9])
    expect(second).toEqual(first)
    // x_k = x0 (1 + w + ... + w^k) -> x0 / (1 - w) = 5; d/dx0 -> 1 / (1 - w) = 10; d/dw -> x0 / (1 - w)^2 = 50
    const [v, [dx0, dw]] = first
    expect(v).toBeCloseTo(5, 12)
    expect(dx0).toBeCloseTo(10, 11)
    expect(dw).toBeCloseTo(50, 9)
  })

  it('no state survives a call: interleaved calls of different functions give the same answers', () => {
    const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.exp(x), F.sin(y))
    const g: MultiFn = (F) => ([x = F.zero]) => F.log(x)
    const alone = Reverse.grad(f)([0.3, 0.7])
    Reverse.grad(g)([2])
    expect(Reverse.grad(f)([0.3, 0.7])).toEqual(alone)
  })

  it('a function that throws leaves no trace on later calls', () => {
    const boom: MultiFn = (F) => ([x = F.zero]) => {
      F.mul(x, x)
      throw new Error('boom')
    }
    expect(() => Reverse.grad(boom)([1])).toThrow('boom')
    expect(Reverse.grad((F) => ([x = F.zero]) => F.mul(x, x))([3])).toEqual([6])
  })

  it('a gradient computed inside another gradient call treats its result as a constant', () => {
    // f(x) = x * g'(primal x) with g(y) = y^2, so f(x) = x * 2x0 held constant: df/dx = 2 x0
    const f: MultiFn = (F) => ([x = F.zero]) => {
      const inner = Reverse.grad((G) => ([y = G.zero]) => G.mul(y, y))([F.primal(x)])[0]!
      return F.mul(x, F.of(inner))
    }
    expect(Reverse.valueAndGrad(f)([3])).toEqual([18, [6]])
  })

  it('a function of zero variables returns the empty gradient and the value', () => {
    expect(Reverse.grad((F) => () => F.of(42))([])).toEqual([])
    expect(Reverse.valueAndGrad((F) => () => F.of(42))([])).toEqual([42, []])
    expect(Reverse.valueAndGrad((F) => () => F.zero)([])).toEqual([0, []])
  })

  it('constants and inputs returned as they are', () => {
    expect(Reverse.grad((F) => () => F.one)([1, 2])).toEqual([0, 0])
    expect(Reverse.grad((F) => (xs) => xs[1] ?? F.zero)([1, 2, 3])).toEqual([0, 1, 0])
    expect(Reverse.valueAndGrad((F) => (xs) => xs[0] ?? F.zero)([7])).toEqual([7, [1]])
  })
})

describe('vjp', () => {
  const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y), F.sin(x)]

  it('is c^T J, linear in the cotangent', () => {
    fc.assert(
      fc.property(finite(), finite(), fc.tuple(finite(-2, 2), finite(-2, 2), finite(-2, 2)), (x, y, c) => {
        const [ys, pullback] = Reverse.vjp(f)([x, y])
        expect(ys).toEqual([x * y, x + y, Math.sin(x)])
        expectClose(pullback(c), [c[0] * y + c[1] + c[2] * Math.cos(x), c[0] * x + c[1]], 1e-14, 1e-14)
      }),
    )
  })

  it('an output listed twice receives both cotangents', () => {
    const twice: VectorFn = (F) => ([x = F.zero]) => {
      const y = F.mul(x, x)
      return [y, y]
    }
    const [ys, pullback] = Reverse.vjp(twice)([3])
    expect(ys).toEqual([9, 9])
    expect(pullback([1, 2])).toEqual([18])
  })

  it('the pullback may be called many times, also after other gradient calls, and gives the same each time', () => {
    const [, pullback] = Reverse.vjp(f)([0.3, 0.7])
    const first = pullback([1, 2, 3])
    Reverse.grad((F) => ([x = F.zero]) => F.mul(F.sin(x), x))([5])
    Reverse.vjp(f)([-4, 9])[1]([1, 1, 1])
    expect(pullback([1, 2, 3])).toEqual(first)
    expect(pullback([0, 0, 0])).toEqual([0, 0])
  })

  it('a cotangent of the wrong length is a RangeError naming the counts', () => {
    expect(() => Reverse.vjp(f)([1, 2])[1]([1])).toThrow(/one cotangent per output \(3\), got 1/)
  })
})

describe('jacrev and jacfwd', () => {
  /** By rows: the gradient of each output. */
  const byRows = (f: VectorFn, xs: readonly number[], m: number): number[][] =>
    Array.from({ length: m }, (_, i) => Reverse.grad((F) => (vs) => f(F)(vs)[i]!)(xs))
  /** By columns: a pushforward along each axis. */
  const byColumns = (f: VectorFn, xs: readonly number[], m: number): number[][] => {
    const cols = xs.map((_, j) => Dual.pushforward(f)(xs, xs.map((_, i) => (i === j ? 1 : 0)))[1])
    return Array.from({ length: m }, (_, i) => cols.map((col) => col[i]!))
  }
  const wide: VectorFn = (F) => ([x = F.zero, y = F.zero, z = F.zero]) => [F.mul(F.mul(x, y), z), F.add(F.sin(x), F.exp(F.mul(y, z)))]
  const tall: VectorFn = (F) => ([r = F.zero, t = F.zero]) => [F.mul(r, F.cos(t)), F.mul(r, F.sin(t)), F.mul(r, r)]

  it('by rows (reverse) and by columns (forward) agree, and jacrev and jacfwd give the same', () => {
    fc.assert(
      fc.property(fc.tuple(finite(-2, 2), finite(-2, 2), finite(-2, 2)), (xs) => {
        const rows = byRows(wide, xs, 2)
        const cols = byColumns(wide, xs, 2)
        rows.forEach((row, i) => expectClose(row, cols[i]!, 1e-14, 1e-14))
        expect(Reverse.jacrev(wide)(xs)).toEqual(rows)
        expect(Dual.jacfwd(wide)(xs)).toEqual(cols)
        const ts = xs.slice(0, 2)
        const rows2 = byRows(tall, ts, 3)
        const cols2 = byColumns(tall, ts, 3)
        rows2.forEach((row, i) => expectClose(row, cols2[i]!, 1e-14, 1e-14))
        expect(Reverse.jacrev(tall)(ts)).toEqual(rows2)
        expect(Dual.jacfwd(tall)(ts)).toEqual(cols2)
      }),
    )
  })

  it('the polar map, by hand', () => {
    const [r, t] = [2, 0.5]
    const want = [Math.cos(t), -r * Math.sin(t), Math.sin(t), r * Math.cos(t), 2 * r, 0]
    expectClose(Reverse.jacrev(tall)([r, t]).flat(), want, 1e-15)
    expectClose(Dual.jacfwd(tall)([r, t]).flat(), want, 1e-15)
  })

  it('zero inputs or zero outputs', () => {
    for (const jacobian of [Reverse.jacrev, Dual.jacfwd]) {
      expect(jacobian((F) => () => [F.one, F.of(2)])([])).toEqual([[], []])
      expect(jacobian(() => () => [])([1, 2])).toEqual([])
    }
  })
})

describe('hessian', () => {
  it('against the closed form of x^2 y + sin(x y)', () => {
    const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.add(F.mul(F.mul(x, x), y), F.sin(F.mul(x, y)))
    fc.assert(
      fc.property(finite(-3, 3), finite(-3, 3), (x, y) => {
        const s = Math.sin(x * y)
        const c = Math.cos(x * y)
        const H = Reverse.hessian(f)([x, y])
        expectClose(H[0]!, [2 * y - y * y * s, 2 * x + c - x * y * s], 1e-13, 1e-13)
        expectClose(H[1]!, [2 * x + c - x * y * s, -x * x * s], 1e-13, 1e-13)
      }),
    )
  })

  it('is symmetric, and the Hessian of a quadratic form x^T A x is A + A^T', () => {
    const A = [
      [1, 2, -1],
      [0, 3, 4],
      [5, -2, 0.5],
    ]
    const quad: MultiFn = <T>(F: Floating<T>) => (xs: readonly T[]): T => {
      let s = F.zero
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s = F.add(s, F.mul(F.of(A[i]![j]!), F.mul(xs[i]!, xs[j]!)))
      return s
    }
    fc.assert(
      fc.property(fc.tuple(finite(), finite(), finite()), (xs) => {
        const H = Reverse.hessian(quad)(xs)
        H.forEach((row, i) => row.forEach((h, j) => expect(h).toBe(A[i]![j]! + A[j]![i]!)))
      }),
    )
  })

  it('of a function of no variables is empty', () => {
    expect(Reverse.hessian((F) => () => F.one)([])).toEqual([])
  })
})

describe('PyTorch fixtures, reverse mode', () => {
  const fixtures = JSON.parse(readFileSync(new URL('./fixtures/scalar.json', import.meta.url), 'utf8')) as {
    readonly cases: readonly Case[]
  }
  it('every expression of the fixture script is written here too', () => {
    expect([...new Set(fixtures.cases.map((c) => c.name))].sort()).toEqual(Object.keys(expressions).sort())
  })
  for (const c of fixtures.cases) {
    const f = expressions[c.name]!
    it(`${c.name} at [${c.x.join(', ')}]: value, gradient and Hessian`, () => {
      const [v, g] = Reverse.valueAndGrad(f)(c.x)
      expect(close(v, c.value, 1e-13, 1e-13)).toBe(true)
      expectClose(g, c.gradient, 1e-12, 1e-12)
      Reverse.hessian(f)(c.x).forEach((row, i) => expectClose(row, c.hessian[i]!, 1e-10, 1e-10))
    })
  }
})
