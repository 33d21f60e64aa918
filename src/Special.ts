/**
 * Special functions that JavaScript's `Math` lacks, to full double precision.
 *
 * The rational approximations and their coefficients are those of Sun's fdlibm `s_erf.c`
 * (1993), the ones most C libraries use: erf is within 1 unit in the last place of the correctly
 * rounded value and erfc within 2, as glibc's (tested against mpmath in test/Special.test.ts).
 *
 * @packageDocumentation
 */

const erx = 8.45062911510467529297e-1
const efx = 1.28379167095512586316e-1

// erf(x) = x + x R(x^2) on [0, 0.84375]
const pp = [1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
  -5.77027029648944159157e-3, -2.37630166566501626084e-5] as const
const qq = [1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
  1.32494738004321644526e-4, -3.9602282787753681232e-6] as const
// erf(1 + s) = erx + P(s)/Q(s) on [0.84375, 1.25]
const pa = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
  3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2,
  -2.166375594868790843e-3] as const
const qa = [1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
  1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2] as const
// erfc(x) = exp(-x^2 - 0.5625 + R(1/x^2)/S(1/x^2)) / x on [1.25, 1/0.35] and [1/0.35, 28]
const ra = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
  -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2,
  -8.12874355063065934246e1, -9.81432934416914548592] as const
const sa = [1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2,
  6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2,
  6.57024977031928170135, -6.04244152148580987438e-2] as const
const rb = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
  -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3,
  -4.83519191608651397019e2] as const
const sb = [1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3,
  3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2,
  -2.24409524465858183362e1] as const

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
