/**
 * The standard normal quantile function, computed with nothing but IEEE 754 arithmetic (`+`,
 * `-`, `*`, `/`, `Math.sqrt`, all correctly rounded), so that every engine on every machine gives
 * the same bits. `Math.log` is not specified to that precision, so a logarithm is written here
 * too.
 *
 * @packageDocumentation
 */

const scratch = new Float64Array(1)
const words = new Uint32Array(scratch.buffer)
// The word order of a float64 in memory: the high word (sign, exponent) is at index 1 on
// little-endian machines and 0 on big-endian ones.
const HI = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f ? 1 : 0
const LO = 1 - HI

const LN2_HI = 6.93147180369123816490e-1
const LN2_LO = 1.90821492927058770002e-10
const TWO54 = 1.8014398509481984e16
const LG1 = 6.666666666666735130e-1
const LG2 = 3.999999999940941908e-1
const LG3 = 2.857142874366239149e-1
const LG4 = 2.222219843214978396e-1
const LG5 = 1.818357216161805012e-1
const LG6 = 1.531383769920937332e-1
const LG7 = 1.479819860511658591e-1

/**
 * The natural logarithm, by the algorithm of fdlibm's `e_log.c` (Sun, 1993): write
 * `x = 2^k (1 + f)` with `sqrt(2)/2 < 1 + f < sqrt(2)`, then `log(1 + f)` from `s = f / (2 + f)`
 * and a minimax polynomial in `s^2`. Error below one unit in the last place; the same bits on
 * every engine. `log(0) = -Infinity`, `log(x < 0) = NaN`.
 *
 * @internal
 */
export const log = (x: number): number => {
  if (x !== x || x < 0) return NaN
  if (x === 0) return -Infinity
  if (x === Infinity) return Infinity
  let k = 0
  if (x < 2.2250738585072014e-308) {
    // subnormal: scale into the normal range
    k -= 54
    x *= TWO54
  }
  scratch[0] = x
  let hx = words[HI]!
  k += (hx >>> 20) - 1023
  hx &= 0x000fffff
  // Choose the exponent so that the mantissa 1 + f lies in [sqrt(2)/2, sqrt(2)).
  const i = (hx + 0x95f64) & 0x100000
  words[HI] = hx | (i ^ 0x3ff00000)
  k += i >>> 20
  const f = scratch[0]! - 1
  const dk = k
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO
    const r = f * f * (0.5 - 0.33333333333333333 * f)
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f)
  }
  const s = f / (2 + f)
  const z = s * s
  const w = z * z
  const t1 = w * (LG2 + w * (LG4 + w * LG6))
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
  const r = t2 + t1
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f)
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f)
}

// Wichura's Algorithm AS 241 (Applied Statistics 37, 1988), PPND16: relative accuracy about
// 1e-16. Coefficients lowest degree first.
const A = [3.3871328727963666080, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
  4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3] as const
const B = [1, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
  2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3] as const
const C = [1.42343711074968357734, 4.63033784615654529590, 5.76949722146069140550, 3.64784832476320460504,
  1.27045825245236838258, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4] as const
const D = [1, 2.05319162663775882187, 1.67638483018380384940, 6.89767334985100004550e-1,
  1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9] as const
const E = [6.65790464350110377720, 5.46378491116411436990, 1.78482653991729133580, 2.96560571828504891230e-1,
  2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7] as const
const F = [1, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
  7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15] as const

const horner = (c: readonly number[], x: number): number => {
  let v = c[c.length - 1]!
  for (let i = c.length - 2; i >= 0; i--) v = v * x + c[i]!
  return v
}

/**
 * The standard normal quantile `Phi^{-1}(p)` for `p` in `(0, 1)` (AS 241, PPND16), with
 * `Phi^{-1}(1 - p) = -Phi^{-1}(p)` exactly; -Infinity at 0, Infinity at 1, NaN outside.
 *
 * @internal
 */
export const normalQuantile = (p: number): number => {
  if (!(p >= 0 && p <= 1)) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (q * horner(A, r)) / horner(B, r)
  }
  let r = Math.sqrt(-log(q < 0 ? p : 1 - p))
  const v = r <= 5 ? ((r -= 1.6), horner(C, r) / horner(D, r)) : ((r -= 5), horner(E, r) / horner(F, r))
  return q < 0 ? -v : v
}
