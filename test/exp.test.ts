/**
 * The activations' `exp` and `expm1` (`special/exp.ts`: fdlibm's method with one reduction, which
 * the Wasm kernels repeat bit for bit) and the activations computed from them, against mpmath
 * (test/fixtures/exp.py), in ulps of the exact value: `exp` and `expm1` within 1 ulp on
 * `[-707, 0]`; sigmoid and tanh within 2.5 ulps, their derivatives within 4 (the JavaScript
 * closed forms, and the fused kernels on the whole table, Wasm where the backend offers it).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as A from '../src/Activation.js'
import { EXP_MIN, expm1NonPositive, expNonPositive } from '../src/special/exp.js'
import { fromData, ones } from '../src/Tensor.js'

/** `[x, f hi, f lo, g hi, g lo]`: two functions at `x`, each exactly `hi + lo` (to 4 digits of `lo`). */
type Row = readonly [number, number, number, number, number]
const fixture = JSON.parse(readFileSync(new URL('./fixtures/exp.json', import.meta.url), 'utf8')) as Record<'exp' | 'sigmoid' | 'tanh', readonly Row[]>

const view = new DataView(new ArrayBuffer(8))
/** The spacing of doubles just above |y| (normal y): 2^(exponent - 52), read from the bits. */
const ulp = (y: number): number => {
  view.setFloat64(0, Math.abs(y))
  const e = (view.getUint32(0) >>> 20) - 1023
  return e < -1022 ? 2 ** -1074 : 2 ** (e - 52)
}
/** The error of `got` in ulps of the exact `hi + lo` (`got - hi` is exact when they are close). */
const ulps = (got: number, hi: number, lo: number): number => Math.abs(got - hi - lo) / ulp(hi)

/** The largest error of `f` over column `col` (1 or 3) of `rows`, and where. */
const worst = (rows: readonly Row[], col: 1 | 3, f: (x: number, i: number) => number): { readonly ulps: number; readonly at: number } =>
  rows.reduce(
    (w, r, i) => {
      const e = ulps(f(r[0], i), r[col], r[col + 1]!)
      return e > w.ulps || Number.isNaN(e) ? { ulps: e, at: r[0] } : w
    },
    { ulps: 0, at: NaN },
  )

describe('exp and expm1 of non-positive arguments against mpmath', () => {
  const rows = fixture.exp
  it(`the table spans [${EXP_MIN}, 0], fdlibm's branch points and their neighbours (${rows.length} points)`, () => {
    const us = rows.map((r) => r[0])
    expect(Math.min(...us)).toBe(EXP_MIN)
    for (const u of [0, -0.5 * Math.LN2, -1.5 * Math.LN2, -(2 ** -28)]) expect(us).toContain(u)
    expect(us.filter((u) => u < -1).length).toBeGreaterThan(300)
    expect(us.filter((u) => u > -1e-8).length).toBeGreaterThan(100)
  })

  it('exp within 1 ulp', () => {
    const w = worst(rows, 1, expNonPositive)
    expect(w.ulps, `${w.ulps} ulps at ${w.at}`).toBeLessThanOrEqual(1)
  })

  it('expm1 within 1 ulp', () => {
    const w = worst(rows, 3, expm1NonPositive)
    expect(w.ulps, `${w.ulps} ulps at ${w.at}`).toBeLessThanOrEqual(1)
  })

  it('the measure fails an exp 2 ulps off, and an expm1 as 1 + exp would give it', () => {
    expect(worst(rows, 1, (u) => expNonPositive(u) * (1 + 2 ** -51)).ulps).toBeGreaterThan(1)
    expect(worst(rows, 3, (u) => expNonPositive(u) - 1).ulps).toBeGreaterThan(1e6)
  })

  it('outside [EXP_MIN, 0] and at NaN they are Math.exp and Math.expm1', () => {
    for (const u of [-708, -745, -746, -Infinity, 1, NaN]) {
      expect(Object.is(expNonPositive(u), Math.exp(u))).toBe(true)
      expect(Object.is(expm1NonPositive(u), Math.expm1(u))).toBe(true)
    }
  })
})

describe('sigmoid and tanh from them, against mpmath', () => {
  const cases = [
    { a: A.sigmoid, rows: fixture.sigmoid, value: 2.5, derivative: 4 },
    { a: A.tanh, rows: fixture.tanh, value: 2.5, derivative: 4 },
  ] as const
  for (const { a, rows, value, derivative } of cases)
    it(`${a.name} within ${value} ulps and ${a.name}' within ${derivative}, in the closed forms and the fused kernels (${rows.length} points)`, () => {
      const x = fromData([rows.length], rows.map((r) => r[0]))
      const [y, pb] = a.diff.vjp(x)
      const d = pb(ones([rows.length]))
      for (const [f, col, bound] of [
        [a.value, 1, value],
        [(_: number, i: number) => y.data[i]!, 1, value],
        [a.derivative, 3, derivative],
        [(_: number, i: number) => d.data[i]!, 3, derivative],
      ] as const) {
        const w = worst(rows, col, f)
        expect(w.ulps, `${w.ulps} ulps at ${w.at}`).toBeLessThanOrEqual(bound)
      }
    })
})
