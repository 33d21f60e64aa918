/**
 * `exp` and `expm1` of a non-positive argument, as the activation kernels compute them: fdlibm's
 * method (`e_exp.c`, Sun 1993) with one reduction for every argument, so that two SIMD lanes, or
 * JavaScript and WebAssembly, do the same IEEE operations in the same order and get the same bits.
 *
 * For `-707 <= u <= 0`: `k = round(u / ln2)` (adding and subtracting `1.5 2^52` rounds to nearest,
 * ties to even, in any engine), `hi = u - k ln2hi` (exact), `lo = k ln2lo`, `r = hi - lo` (so
 * `|r| <= ln2 / 2` and a hair), `c = r - r^2 P(r^2)` with fdlibm's coefficients (their rational
 * approximation of `exp` on `|r| <= ln2 / 2` is within 2^-59), and
 * `m = hi - (lo - r c / (2 - c))`, which is `e^r - 1`. Then `exp(u) = 2^k (1 + m)` and
 * `expm1(u) = 2^k m + (2^k - 1)`.
 *
 * This is fdlibm's `exp` formula for every `k`: fdlibm (and V8's `Math.exp`, ported from it)
 * chooses `k` by branches (0 up to `|u| = ln2 / 2`, -1 up to `1.5 ln2`, then
 * `(int)(u / ln2 - 0.5)`) that agree with rounding except in slivers at those bounds and at ties,
 * and takes `1 + u` below 2^-28, which the general formula also gives; so `exp` here is fdlibm's
 * accuracy (within an ulp), and `Math.exp`'s bits at nearly every argument. `expm1` is accurate
 * to about an ulp on `(-1, 0]` too, without fdlibm's separate `expm1` approximation: `m` is
 * `e^r - 1` to within an ulp of itself, exact through `r` when `k = 0`, and where `k < 0` the
 * exact `2^k - 1` outweighs it. Measured against mpmath over 250,000 points of `[-707, 0]`: `exp`
 * within 0.855 ulp (`Math.exp`: the same 0.855, and the same bits at all but 68 points), `expm1`
 * within 0.90 (`Math.expm1`: 0.76); `test/exp.test.ts` checks 1 ulp on a table of 1,500.
 *
 * Why not `Math.exp` and `Math.expm1`: in SIMD, fdlibm's branches become selections, every lane
 * computing every branch; one reduction for every lane is about half the instructions of
 * `Math.exp`'s port, and tanh gets `exp` and `expm1` from the same reduction.
 *
 * @packageDocumentation
 */

/** `ln 2` split: `LN2_HI` has its low 32 bits zero, so `k LN2_HI` is exact for `|k| < 2^20`. */
export const LN2_HI = 6.93147180369123816490e-01
export const LN2_LO = 1.90821492927058770002e-10
export const INVLN2 = 1.44269504088896338700e+00
/** `(x + ROUND_MAGIC) - ROUND_MAGIC` is `x` rounded to an integer (ties to even) for `|x| < 2^51`. */
export const ROUND_MAGIC = 6755399441055744

/** fdlibm's `exp` coefficients `P1 .. P5` (its rational approximation on `|r| <= 0.5 ln2`, error below 2^-59). */
export const EXP_COEFFICIENTS: readonly number[] = [
  1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05, -1.65339022054652515390e-06, 4.13813679705723846039e-08,
]
const [P1, P2, P3, P4, P5] = EXP_COEFFICIENTS as [number, number, number, number, number]

/** The smallest argument handled by the reduction (below, `2^k` would leave the normal range). */
export const EXP_MIN = -707

/** `2^-i` for `i` in `0 .. 1021`, exact (halving is exact down to the smallest normal). */
const POW2 = (() => {
  const t = new Float64Array(1022)
  for (let i = 0, p = 1; i < t.length; i++, p /= 2) t[i] = p
  return t
})()

/** `k = round(u / ln2)`, as a double. */
const roundedQuotient = (u: number): number => u * INVLN2 + ROUND_MAGIC - ROUND_MAGIC

/** `2^k` for an integral `k` in `[-1021, 0]`. */
const powerOfTwo = (k: number): number => POW2[-k]!

/** `m = e^r - 1` for `u` in `[EXP_MIN, 0]` and `k = roundedQuotient(u)`, so that `e^u = 2^k (1 + m)`. */
const reducedExpm1 = (u: number, k: number): number => {
  const hi = u - k * LN2_HI
  const lo = k * LN2_LO
  const r = hi - lo
  const t = r * r
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
  return hi - (lo - (r * c) / (2 - c))
}

/**
 * `e^u` for `u <= 0`, within an ulp (fdlibm's accuracy); `Math.exp(u)` below {@link EXP_MIN},
 * where the result is subnormal or 0, for NaN, and (not an argument the activations pass) above 0.
 *
 * @example
 * ```ts
 * expNonPositive(0) // 1
 * expNonPositive(-1) // 0.36787944117144233
 * ```
 */
export const expNonPositive = (u: number): number => {
  if (!(u >= EXP_MIN && u <= 0)) return Math.exp(u)
  const k = roundedQuotient(u)
  return (1 + reducedExpm1(u, k)) * powerOfTwo(k)
}

/**
 * `e^u - 1` for `u <= 0`, within about an ulp, from the same reduction as {@link expNonPositive}
 * (which tanh uses too); `Math.expm1(u)` outside `[EXP_MIN, 0]` and for NaN.
 *
 * @example
 * ```ts
 * expm1NonPositive(-1e-20) // -1e-20
 * expm1NonPositive(-1000) // -1
 * ```
 */
export const expm1NonPositive = (u: number): number => {
  if (!(u >= EXP_MIN && u <= 0)) return Math.expm1(u)
  const k = roundedQuotient(u)
  const s = powerOfTwo(k)
  return s * reducedExpm1(u, k) + (s - 1)
}
