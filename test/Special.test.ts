/**
 * erf and erfc against correctly rounded values (mpmath at 300 bits, test/fixtures/special.py):
 * erf within 1 ulp and erfc within 2 ulps, as glibc's libm, in every branch and in the tails.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { erf, erfc } from '../src/Special.js'
import { scalarValue } from '../laws/index.js'

interface Row {
  readonly x: string
  readonly erf: string
  readonly erfc: string
  readonly python_erf: string
  readonly python_erfc: string
}
const rows = (
  JSON.parse(readFileSync(new URL('./fixtures/special.json', import.meta.url), 'utf8')) as { readonly rows: readonly Row[] }
).rows

/** The spacing of doubles at |y| (the least subnormal below the normal range). */
const ulp = (y: number): number => {
  const a = Math.abs(y)
  if (a < 2 ** -1022) return 2 ** -1074
  return 2 ** (Math.floor(Math.log2(a)) - 52)
}
/** The error of `actual` in units in the last place of the correctly rounded `exact`. */
const ulps = (actual: number, exact: number): number => (actual === exact ? 0 : Math.abs(actual - exact) / ulp(exact))

describe('erf and erfc against correctly rounded values', () => {
  it(`the table has every branch and the tails (${rows.length} points)`, () => {
    const xs = rows.map((r) => Number(r.x))
    for (const x of [0, 1e-300, 0.84375, 1.25, 6, 10, 26, 28]) expect(xs).toContain(x)
    expect(xs.filter((x) => x < 0).length).toBeGreaterThan(200)
  })

  it('erf within 1 ulp everywhere', () => {
    for (const r of rows) {
      const x = Number(r.x)
      const e = ulps(erf(x), Number(r.erf))
      if (e > 1) expect.fail(`erf(${r.x}) = ${erf(x)}, correctly rounded ${r.erf}: ${e} ulps`)
    }
  })

  it('erfc within 2 ulps everywhere (libm: also 2)', () => {
    let worstLibm = 0
    for (const r of rows) {
      const x = Number(r.x)
      const e = ulps(erfc(x), Number(r.erfc))
      if (e > 2) expect.fail(`erfc(${r.x}) = ${erfc(x)}, correctly rounded ${r.erfc}: ${e} ulps`)
      worstLibm = Math.max(worstLibm, ulps(Number(r.python_erfc), Number(r.erfc)))
    }
    // the reference point: CPython's math.erfc (glibc) is no better
    expect(worstLibm).toBeGreaterThanOrEqual(2)
  })

  it('the tails: erfc(10), erfc(26), erf(1e-300) to the last digit', () => {
    expect(erfc(10)).toBe(2.088487583762545e-45)
    expect(erfc(26)).toBe(5.663192408856143e-296)
    expect(erf(1e-300)).toBe(1.1283791670955126e-300)
    expect(erfc(-10)).toBe(2)
    expect(erf(6)).toBe(1)
    expect(erfc(28)).toBe(0)
  })
})

describe('erf and erfc at special values', () => {
  it('infinities, zeros and NaN', () => {
    expect([erf(Infinity), erf(-Infinity), erfc(Infinity), erfc(-Infinity)]).toEqual([1, -1, 0, 2])
    expect(Object.is(erf(-0), -0)).toBe(true)
    expect([erf(0), erfc(0), erfc(-0)]).toEqual([0, 1, 1])
    expect(erf(NaN)).toBeNaN()
    expect(erfc(NaN)).toBeNaN()
  })

  it('erf is odd, erfc(-x) = 2 - erfc(x), erf + erfc = 1, both monotone', () => {
    // every double (fc.double: mostly tiny or huge, where erf is x or +-1), and spread evenly over
    // [-6, 6], where neither is flat, and [-30, 30], through erfc's tail to its underflow at 27.3
    const point = fc.oneof(fc.double({ noNaN: true }), scalarValue({ min: -6, max: 6 }), scalarValue({ min: -30, max: 30 }))
    fc.assert(
      fc.property(point, point, (x, y) => {
        expect(Object.is(erf(-x), -erf(x))).toBe(true)
        expect(Math.abs(erfc(-x) - (2 - erfc(x)))).toBeLessThanOrEqual(4 * 2 ** -52)
        expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThanOrEqual(2 * 2 ** -52)
        if (x < y) {
          expect(erf(x)).toBeLessThanOrEqual(erf(y))
          expect(erfc(x)).toBeGreaterThanOrEqual(erfc(y))
        }
      }),
    )
  })
})
