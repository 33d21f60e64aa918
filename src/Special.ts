/**
 * Special functions that JavaScript's `Math` lacks, to full double precision.
 *
 * The rational approximations and their coefficients are those of Sun's fdlibm `s_erf.c`
 * (1993), the ones most C libraries use: erf is within 1 unit in the last place of the correctly
 * rounded value and erfc within 2, as glibc's (tested against mpmath in test/Special.test.ts).
 *
 * @packageDocumentation
 */

import { efx, erx, pa, pp, qa, qq, ra, rb, sa, sb } from './special/fdlibm.js'

/** Horner's rule: c[0] + z c[1] + z^2 c[2] + ... */
const poly = (c: readonly number[], z: number): number => {
  let r = c[c.length - 1]!
  for (let i = c.length - 2; i >= 0; i--) r = r * z + c[i]!
  return r
}

// x with the low 32 bits of its mantissa cleared, so that z*z is exact
const scratch = new Float64Array(1)
const words = new Uint32Array(scratch.buffer)
const highPart = (x: number): number => {
  scratch[0] = x
  words[0] = 0
  return scratch[0]
}

/** R(x^2) on [0, 0.84375], where erf(x) = x + x R(x^2). */
const nearZero = (x: number): number => {
  const z = x * x
  return poly(pp, z) / poly(qq, z)
}

/** erf(x) - erx on [0.84375, 1.25]. */
const nearOne = (x: number): number => {
  const s = x - 1
  return poly(pa, s) / poly(qa, s)
}

/** erfc(x) for x in [1.25, 28). */
const tail = (x: number): number => {
  const s = 1 / (x * x)
  const rs = x < 1 / 0.35 ? poly(ra, s) / poly(sa, s) : poly(rb, s) / poly(sb, s)
  const z = highPart(x)
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + rs)) / x
}

/**
 * The error function `erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt`, to within
 * one unit in the last place. `erf(+-Infinity) = +-1`, `erf(NaN) = NaN`.
 *
 * @example
 * ```ts
 * import { erf } from 'autodiff-ts'
 *
 * erf(1) // 0.8427007929497149
 * ```
 *
 * @category special functions
 */
export const erf = (x: number): number => {
  if (Number.isNaN(x)) return x
  const a = Math.abs(x)
  const sign = x < 0 ? -1 : 1
  if (a < 0.84375) {
    if (a >= 2 ** -28) return x + x * nearZero(x)
    // scaled by 8 so that efx * x does not lose bits to underflow when x is subnormal
    return a < 2 ** -1015 ? 0.125 * (8 * x + 8 * efx * x) : x + efx * x
  }
  if (a < 1.25) return sign * (erx + nearOne(a))
  if (a >= 6) return sign
  return sign * (1 - tail(a))
}

/**
 * The complementary error function `erfc(x) = 1 - erf(x)`, to within two units in the last
 * place, also where `1 - erf(x)` would cancel: `erfc(10)` is about 2.09e-45, not 0. `erfc(+Infinity) = 0`, `erfc(-Infinity) = 2`.
 *
 * @example
 * ```ts
 * import { erfc } from 'autodiff-ts'
 *
 * erfc(10) // 2.088487583762545e-45
 * ```
 *
 * @category special functions
 */
export const erfc = (x: number): number => {
  if (Number.isNaN(x)) return x
  const a = Math.abs(x)
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x
    const y = nearZero(x)
    return x < 0.25 ? 1 - (x + x * y) : 0.5 - (x * y + (x - 0.5))
  }
  if (a < 1.25) return x < 0 ? 1 + (erx + nearOne(a)) : 1 - erx - nearOne(a)
  if (a < 28) return x < 0 ? (a > 6 ? 2 : 2 - tail(a)) : tail(a)
  return x < 0 ? 2 : 0
}
