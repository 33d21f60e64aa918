/**
 * fdlibm's `exp` and `expm1` on two f64 lanes at once, generated as WebAssembly SIMD code: the
 * same IEEE operations in the same order as V8's `Math.exp` and `Math.expm1`
 * (`src/base/ieee754.cc`, ported from fdlibm), so on V8 every lane is bit-identical to the
 * JavaScript kernels, which stay the reference; elsewhere it is fdlibm's accuracy (below one ulp).
 * The branches of the scalar code become selections: every lane computes each candidate and keeps
 * the one its branch would have taken.
 *
 * `exp` is generated for arguments `-707 <= x <= 0` (what the activations need: `exp(-|x|)`),
 * where the result is normal, and `expm1` for `(-1.03, 0)` (what tanh needs near 0). Callers
 * finish NaN and the far tails with the JavaScript kernels.
 *
 * @packageDocumentation
 */
import type { Code } from './emit.js'
import { f64x2, get, i32, i64x2, set, seq, v128 } from './emit.js'

/**
 * Where generated code gets its v128 locals and constants: `local()` allocates a local; `constant`
 * returns code pushing a constant, read from a local the kernel sets once before its loop (V8
 * would otherwise materialise a `v128.const` at every use, several instructions each).
 */
export interface Scope {
  readonly local: () => number
  readonly constant: (c: Code) => Code
  /** `exp`'s coefficients, if not fdlibm's (the tests perturb one to see the checks fail). */
  readonly expCoefficients?: readonly number[]
}

const bits = new DataView(new ArrayBuffer(8))
/** The double whose high word is `hi` and low word 0 (fdlibm compares high words with such bounds). */
const fromHigh = (hi: number): number => {
  bits.setUint32(0, hi >>> 0)
  bits.setUint32(4, 0)
  return bits.getFloat64(0)
}

const op = (o: Code) => (a: Code, b: Code): Code => seq(a, b, o)
const add = op(v128.add)
const sub = op(f64x2.sub)
const mul = op(v128.mul)
const div = op(f64x2.div)
const lt = op(f64x2.lt)
const ge = op(f64x2.ge)
const eq = op(f64x2.eq)
/** `m ? a : 0` lane by lane (the bits of +0 are all zero). */
const and = op(v128.and)
const abs = (a: Code): Code => seq(a, f64x2.abs)
const trunc = (a: Code): Code => seq(a, f64x2.trunc)
/** `m ? a : b` lane by lane, for a mask `m` of all-ones or all-zeros lanes. */
const pick = (m: Code, a: Code, b: Code): Code => seq(a, b, m, v128.bitselect)

const LN2_HI = 6.93147180369123816490e-01
const LN2_LO = 1.90821492927058770002e-10
const INVLN2 = 1.44269504088896338700e+00
/** `|x| > 0.5 ln2`, `|x| < 1.5 ln2`, `|x| < 2^-28`: fdlibm's high-word tests as bounds on `|x|`. */
const HALF_LN2 = fromHigh(0x3fd62e43)
const THREE_HALVES_LN2 = fromHigh(0x3ff0a2b2)
const TWO_M28 = fromHigh(0x3e300000)
/** Adding 1.5 2^52 puts an integral double `k` (|k| < 2^51) in the low bits of the sum's mantissa. */
const ROUND_MAGIC = 6755399441055744
/** The exponent bias in place: `2^k` has the bits `(k + 1023) << 52`. */
const BIAS = 1023n << 52n

/** `2^k` from an integral f64x2 `kf` (|k| <= 1021): the bits of `k` in place, and `2^k` from them. */
const powersOfTwo = (s: Scope, kf: Code): { readonly kBits: Code; readonly up: (kb: Code) => Code } => ({
  kBits: seq(add(kf, s.constant(f64x2.const(ROUND_MAGIC))), i32.const(52), i64x2.shl),
  up: (kb) => seq(kb, s.constant(i64x2.const(BIAS)), i64x2.add),
})

/** The argument reduction both share: `k`, then `x = hi - lo` with `hi = x - k ln2hi`, `lo = k ln2lo`. */
const reduce = (k: (x: number) => Code, x: Code, kf: number, hi: number, lo: number): Code =>
  seq(
    sub(x, mul(get(kf), k(LN2_HI))), set(hi),
    mul(get(kf), k(LN2_LO)), set(lo),
  )

/** The f64x2 splat of `x`, from the scope's constants. */
const splat = (s: Scope) => (x: number): Code => s.constant(f64x2.const(x))

/** fdlibm's `exp` coefficients `P1 .. P5` (its rational approximation on `|r| <= 0.5 ln2`, error below 2^-59). */
export const EXP_COEFFICIENTS: readonly number[] = [
  1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05, -1.65339022054652515390e-06, 4.13813679705723846039e-08,
]

/**
 * `exp(x)` into local `out` for the lanes of local `x` in `[-707, 0]` (V8's `Math.exp`, bit for bit;
 * other lanes hold garbage). fdlibm's `k == 0` formula `1 - ((x c) / (c - 2) - x)` is the general one
 * `1 - ((lo - (x c) / (2 - c)) - hi)` with `hi = x`, `lo = 0`, since `a / -b = -(a / b)` exactly.
 */
export const expNonPositive = (s: Scope, x: number, out: number): Code => {
  const [P1, P2, P3, P4, P5] = (s.expCoefficients ?? EXP_COEFFICIENTS) as [number, number, number, number, number]
  const [kf, hi, lo, xr, t, c, kb, ax] = Array.from({ length: 8 }, s.local) as [number, number, number, number, number, number, number, number]
  const k = splat(s)
  const p = powersOfTwo(s, get(kf))
  return seq(
    abs(get(x)), set(ax),
    // k: 0 for |x| <= 0.5 ln2, -1 below 1.5 ln2, else (int)(x / ln2 - 0.5)
    and(pick(lt(get(ax), k(THREE_HALVES_LN2)), k(-1), trunc(add(mul(k(INVLN2), get(x)), k(-0.5)))), ge(get(ax), k(HALF_LN2))), set(kf),
    reduce(k, get(x), kf, hi, lo),
    sub(get(hi), get(lo)), set(xr),
    mul(get(xr), get(xr)), set(t),
    sub(get(xr), mul(get(t), add(k(P1), mul(get(t), add(k(P2), mul(get(t), add(k(P3), mul(get(t), add(k(P4), mul(get(t), k(P5))))))))))), set(c),
    p.kBits, set(kb),
    // y = 1 - ((lo - x c / (2 - c)) - hi), scaled by 2^k; 1 + x when |x| < 2^-28
    pick(
      lt(get(ax), k(TWO_M28)),
      add(k(1), get(x)),
      mul(sub(k(1), sub(sub(get(lo), div(mul(get(xr), get(c)), sub(k(2), get(c)))), get(hi))), p.up(get(kb))),
    ),
    set(out),
  )
}

/**
 * `expm1(y)` into local `out` for the lanes of local `y` in `(-1.03, -2^-27]` (V8's `Math.expm1`,
 * bit for bit; other lanes hold garbage): fdlibm's branches `k = 0` (`|y| <= 0.5 ln2`) and `k = -1`
 * (up to `1.5 ln2`), the only ones there.
 */
export const expm1Negative = (s: Scope, y: number, out: number): Code => {
  const [kf, hi, lo, xr, c, hfx, hxs, r1, tt, e, e2] = Array.from({ length: 11 }, s.local) as [
    number, number, number, number, number, number, number, number, number, number, number,
  ]
  const k = splat(s)
  const poly = (h: Code): Code =>
    add(k(1), mul(h, add(k(-3.33333333333331316428e-02), mul(h, add(k(1.58730158725481460165e-03),
      mul(h, add(k(-7.93650757867487942473e-05), mul(h, add(k(4.00821782732936239552e-06), mul(h, k(-2.01099218183624371326e-07)))))))))))
  return seq(
    and(k(-1), ge(abs(get(y)), k(HALF_LN2))), set(kf),
    reduce(k, get(y), kf, hi, lo),
    sub(get(hi), get(lo)), set(xr),
    sub(sub(get(hi), get(xr)), get(lo)), set(c),
    mul(k(0.5), get(xr)), set(hfx),
    mul(get(xr), get(hfx)), set(hxs),
    poly(get(hxs)), set(r1),
    sub(k(3), mul(get(r1), get(hfx))), set(tt),
    mul(get(hxs), div(sub(get(r1), get(tt)), sub(k(6), mul(get(xr), get(tt))))), set(e),
    sub(sub(mul(get(xr), sub(get(e), get(c))), get(c)), get(hxs)), set(e2),
    // k = 0: x - (x e - hxs); k = -1: (x - e') / 2 - 1/2
    pick(eq(get(kf), k(0)), sub(get(xr), sub(mul(get(xr), get(e)), get(hxs))), sub(mul(k(0.5), sub(get(xr), get(e2))), k(0.5))),
    set(out),
  )
}
