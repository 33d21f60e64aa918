/**
 * The number instance of Floating, and every elementary function's value and derivative pinned at
 * the edges (0, kinks, +-Infinity, NaN, +-1000), in both modes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Dual from '../src/Dual.js'
import { floatingNumber as N, type BinaryName, type ScalarFn, type UnaryName } from '../src/Floating.js'
import * as Reverse from '../src/Reverse.js'
import { binaryRules, unaryRules } from '../src/Rule.js'
import { erf, erfc } from '../src/Special.js'
import { scalarValue } from '../laws/index.js'

/** Every double (fc.double: -0, NaN, the infinities, subnormals, mostly tiny), and ordinary magnitudes spread evenly. */
const anyDouble = fc.oneof(fc.double(), scalarValue({ min: -10, max: 10 }))

const reverseDerivative =
  (f: ScalarFn) =>
  (x: number): number =>
    Reverse.grad((F) => ([v = F.zero]) => f(F)(v))([x])[0]!

/** Equal as numbers (so -0 and 0 are the same), or both NaN. */
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b))

describe('floatingNumber', () => {
  it('is Math (and erf, erfc) on every elementary function', () => {
    const math: Record<UnaryName, (x: number) => number> = {
      neg: (x) => -x,
      recip: (x) => 1 / x,
      abs: Math.abs,
      sqrt: Math.sqrt,
      exp: Math.exp,
      expm1: Math.expm1,
      log: Math.log,
      log1p: Math.log1p,
      sin: Math.sin,
      cos: Math.cos,
      tan: Math.tan,
      asin: Math.asin,
      acos: Math.acos,
      atan: Math.atan,
      sinh: Math.sinh,
      cosh: Math.cosh,
      tanh: Math.tanh,
      erf,
      erfc,
    }
    fc.assert(
      fc.property(anyDouble, (x) => {
        for (const name of Object.keys(unaryRules) as UnaryName[]) expect(Object.is(N[name](x), math[name](x))).toBe(true)
      }),
    )
  })

  it('is the field of doubles, with of and primal the identity', () => {
    fc.assert(
      fc.property(anyDouble, anyDouble, (x, y) => {
        const ops: Record<BinaryName, number> = { add: x + y, sub: x - y, mul: x * y, div: x / y, mod: x % y, pow: x ** y }
        for (const name of Object.keys(binaryRules) as BinaryName[]) expect(Object.is(N[name](x, y), ops[name])).toBe(true)
        expect(Object.is(N.of(x), x)).toBe(true)
        expect(Object.is(N.primal(x), x)).toBe(true)
      }),
    )
    expect([N.zero, N.one, N.degree(5)]).toEqual([0, 1, 1])
  })
})

const I = Infinity
const SQ = 2 / Math.sqrt(Math.PI)
/** [x, f(x), f'(x)] pinned by hand; the derivative at a point outside the domain is the rule's (as PyTorch). */
type Pin = readonly [number, number, number]
const pins: Record<UnaryName, readonly Pin[]> = {
  neg: [[0, -0, -1], [I, -I, -1], [-I, I, -1], [1000, -1000, -1], [-1000, 1000, -1]],
  recip: [[0, I, -I], [-0, -I, -I], [I, 0, -0], [-I, -0, -0], [1000, 1e-3, -1e-6], [-1000, -1e-3, -1e-6]],
  // abs'(0) = 0, a local minimum
  abs: [[0, 0, 0], [-0, 0, 0], [I, I, 1], [-I, I, -1], [1000, 1000, 1], [-1000, 1000, -1]],
  // sqrt'(0) = +Infinity, the one-sided limit, also at -0
  sqrt: [[0, 0, I], [-0, -0, I], [I, I, 0], [-I, NaN, NaN], [1000, Math.sqrt(1000), 1 / (2 * Math.sqrt(1000))], [-1000, NaN, NaN]],
  exp: [[0, 1, 1], [I, I, I], [-I, 0, 0], [1000, I, I], [-1000, 0, 0]],
  expm1: [[0, 0, 1], [I, I, I], [-I, -1, 0], [1000, I, I], [-1000, -1, 0]],
  // log'(0) = +Infinity, the one-sided limit, also at -0
  log: [[0, -I, I], [-0, -I, I], [I, I, 0], [-I, NaN, -0], [1000, Math.log(1000), 1e-3], [-1000, NaN, -1e-3]],
  log1p: [[0, 0, 1], [-1, -I, I], [I, I, 0], [-I, NaN, -0], [1000, Math.log(1001), 1 / 1001], [-1000, NaN, -1 / 999]],
  sin: [[0, 0, 1], [I, NaN, NaN], [-I, NaN, NaN], [1000, Math.sin(1000), Math.cos(1000)], [-1000, Math.sin(-1000), Math.cos(1000)]],
  cos: [[0, 1, -0], [I, NaN, NaN], [-I, NaN, NaN], [1000, Math.cos(1000), -Math.sin(1000)], [-1000, Math.cos(1000), Math.sin(1000)]],
  tan: [[0, 0, 1], [I, NaN, NaN], [-I, NaN, NaN], [1000, Math.tan(1000), 1 + Math.tan(1000) ** 2]],
  // the ends of the domain: the one-sided limits
  asin: [[0, 0, 1], [1, Math.PI / 2, I], [-1, -Math.PI / 2, I], [I, NaN, NaN], [1000, NaN, NaN], [-1000, NaN, NaN]],
  acos: [[0, Math.PI / 2, -1], [1, 0, -I], [-1, Math.PI, -I], [I, NaN, NaN], [1000, NaN, NaN]],
  atan: [[0, 0, 1], [I, Math.PI / 2, 0], [-I, -Math.PI / 2, 0], [1000, Math.atan(1000), 1 / (1 + 1e6)], [-1000, -Math.atan(1000), 1 / (1 + 1e6)]],
  sinh: [[0, 0, 1], [I, I, I], [-I, -I, I], [1000, I, I], [-1000, -I, I]],
  cosh: [[0, 1, 0], [I, I, I], [-I, I, -I], [1000, I, I], [-1000, I, -I]],
  tanh: [[0, 0, 1], [I, 1, 0], [-I, -1, 0], [1000, 1, 0], [-1000, -1, 0]],
  erf: [[0, 0, SQ], [I, 1, 0], [-I, -1, 0], [1000, 1, 0], [-1000, -1, 0]],
  erfc: [[0, 1, -SQ], [I, 0, -0], [-I, 2, -0], [1000, 0, -0], [-1000, 2, -0]],
}

describe('edge values, pinned, in both modes', () => {
  for (const name of Object.keys(unaryRules) as UnaryName[]) {
    it(name, () => {
      const f: ScalarFn = (F) => F[name]
      for (const [x, y, dy] of pins[name]) {
        const where = `${name} at ${Object.is(x, -0) ? '-0' : x}`
        expect(same(N[name](x), y), `${where}: value ${N[name](x)}, pinned ${y}`).toBe(true)
        const fwd = Dual.derivative(f)(x)
        expect(same(fwd, dy), `${where}: forward derivative ${fwd}, pinned ${dy}`).toBe(true)
        const rev = reverseDerivative(f)(x)
        expect(same(rev, dy), `${where}: reverse derivative ${rev}, pinned ${dy}`).toBe(true)
      }
    })
  }
})

describe('NaN in gives NaN out, never a throw', () => {
  it('every elementary function: NaN value and NaN derivative (neg: the constant -1)', () => {
    for (const name of Object.keys(unaryRules) as UnaryName[]) {
      const f: ScalarFn = (F) => F[name]
      expect(N[name](NaN)).toBeNaN()
      const expected = name === 'neg' ? -1 : NaN
      expect(same(Dual.derivative(f)(NaN), expected), name).toBe(true)
      expect(same(reverseDerivative(f)(NaN), expected), name).toBe(true)
      expect(Dual.nthDerivative(2)(f)(NaN), name).toSatisfy((d: number) => Number.isNaN(d) || d === 0)
    }
  })

  it('every binary operation: NaN value (but pow(NaN, 0) = 1, as IEEE), no throw in either mode', () => {
    for (const name of Object.keys(binaryRules) as BinaryName[]) {
      for (const [x, y] of [
        [NaN, 2],
        [2, NaN],
        [NaN, NaN],
      ] as const) {
        const f = (F: typeof N) => F[name](x, y)
        expect(f(N)).toBeNaN()
        const [v, g] = Reverse.valueAndGrad((F) => ([a = F.zero, b = F.zero]) => F[name](a, b))([x, y])
        expect(v).toBeNaN()
        expect(g.length).toBe(2)
        const [vf] = Dual.jvp((F) => ([a = F.zero, b = F.zero]) => F[name](a, b))([x, y], [1, 1])
        expect(vf).toBeNaN()
      }
    }
    expect(N.pow(NaN, 0)).toBe(1)
  })

  it('through mul, div, mod and pow a NaN x makes the derivative in y NaN', () => {
    for (const name of ['mul', 'div', 'mod', 'pow'] as const) {
      const [, [, dy]] = Reverse.valueAndGrad((F) => ([a = F.zero, b = F.zero]) => F[name](a, b))([NaN, 2])
      expect(dy, name).toBeNaN()
      expect(Dual.jvp((F) => ([a = F.zero, b = F.zero]) => F[name](a, b))([NaN, 2], [0, 1])[1], name).toBeNaN()
    }
  })

  it('a composite function', () => {
    const f: ScalarFn = (F) => (x) => F.add(F.exp(F.mul(F.sin(x), x)), F.log1p(F.mul(x, x)))
    expect(Dual.derivative(f)(NaN)).toBeNaN()
    expect(reverseDerivative(f)(NaN)).toBeNaN()
    expect(Reverse.hessian((F) => ([x = F.zero, y = F.zero]) => F.mul(f(F)(x), y))([NaN, 1]).flat()[0]).toBeNaN()
  })
})

describe('kinks of the binary operations', () => {
  it("d/dy x^y is 0 where x <= 0; d/dx x^0 is 0 at x = 0", () => {
    const pow = (x: number, y: number) => Reverse.grad((F) => ([a = F.zero, b = F.zero]) => F.pow(a, b))([x, y])
    expect(pow(0, 0)).toEqual([0, 0])
    expect(pow(-2, 3)).toEqual([12, 0])
    expect(pow(0, 2)).toEqual([0, 0])
    expect(pow(0, 0.5)).toEqual([Infinity, 0])
    expect(pow(2, 0)).toEqual([0, Math.log(2)])
  })

  it('the mixed partials of x^y agree at y = 0 (the Hessian is symmetric)', () => {
    const H = Reverse.hessian((F) => ([a = F.zero, b = F.zero]) => F.pow(a, b))([2, 0])
    expect(H[0]![1]).toBeCloseTo(0.5, 15)
    expect(H[1]![0]).toBeCloseTo(0.5, 15)
  })

  it('x mod y: the derivative in y is minus the truncated quotient', () => {
    expect(Reverse.grad((F) => ([a = F.zero, b = F.zero]) => F.mod(a, b))([7.5, 2])).toEqual([1, -3])
    expect(Reverse.grad((F) => ([a = F.zero, b = F.zero]) => F.mod(a, b))([-7.5, 2])).toEqual([1, 3])
  })
})
