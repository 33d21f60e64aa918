/**
 * `exp` and `expm1` of non-positive arguments on two f64 lanes at once, generated as WebAssembly
 * SIMD code: the same IEEE operations in the same order as `special/exp.ts` (fdlibm's method with
 * one reduction for every argument, `k = round(u / ln2)`), so every lane is bit-identical to the
 * JavaScript kernels, which stay the reference, on every engine.
 *
 * Generated for `EXP_MIN <= u <= 0` (what the activations need: `exp(-|x|)`, `exp(-2|x|)`), where
 * `2^k` is normal; other lanes hold garbage, and callers finish NaN and the far tails with the
 * JavaScript kernels.
 *
 * Cost (per 1e6 doubles on warm Wasm memory, this machine): V8's `Math.exp` ported op for op, its
 * branches as selections (every lane computing the `|x| < 2^-28`, `k = 0`, `k = -1` and general
 * cases), took 2.7 ms, about 21 cycles per pair of lanes, instruction-bound (its one division
 * costs about 4); the single reduction here has 27 operations (one division) per pair.
 *
 * @packageDocumentation
 */
import { EXP_COEFFICIENTS, INVLN2, LN2_HI, LN2_LO, ROUND_MAGIC } from '../../special/exp.js'
import type { Code } from './emit.js'
import type { Computed, Scope, Steps } from './loop.js'
import { f64x2, get, i32, i64x2, set, seq, v128 } from './emit.js'

const op = (o: Code) => (a: Code, b: Code): Code => seq(a, b, o)
const add = op(v128.add)
const sub = op(f64x2.sub)
const mul = op(v128.mul)
const div = op(f64x2.div)

/** The exponent bias in place: `2^k` has the bits `(k + 1023) << 52`. */
const BIAS = 1023n << 52n

/** The reduction of `u`: its statements, and the locals holding `2^k` and `m = e^r - 1`, with `e^u = 2^k (1 + m)`. */
export interface Reduced {
  readonly steps: Steps
  readonly scale: number
  readonly m: number
}

/**
 * `k = round(u / ln2)`, `2^k` and `m = e^r - 1` for the lanes of local `u` in `[EXP_MIN, 0]`, as
 * `roundedQuotient`, `powerOfTwo` and `reducedExpm1` in `special/exp.ts` compute them.
 */
export const reduceExp = (s: Scope, u: number): Reduced => {
  const [P1, P2, P3, P4, P5] = (s.expCoefficients ?? EXP_COEFFICIENTS) as [number, number, number, number, number]
  const [shifted, kf, hi, lo, r, t, c, scale, m] = Array.from({ length: 9 }, s.local) as [
    number, number, number, number, number, number, number, number, number,
  ]
  const k = (x: number): Code => s.constant(f64x2.const(x))
  return {
    steps: [
      // u / ln2 + 1.5 2^52 holds k in its low mantissa bits; subtracting 1.5 2^52 gives k
      seq(add(mul(get(u), k(INVLN2)), k(ROUND_MAGIC)), set(shifted)),
      seq(sub(get(shifted), k(ROUND_MAGIC)), set(kf)),
      // 2^k: k's bits moved into the exponent, plus the bias
      seq(get(shifted), i32.const(52), i64x2.shl, s.constant(i64x2.const(BIAS)), i64x2.add, set(scale)),
      seq(sub(get(u), mul(get(kf), k(LN2_HI))), set(hi)),
      seq(mul(get(kf), k(LN2_LO)), set(lo)),
      seq(sub(get(hi), get(lo)), set(r)),
      seq(mul(get(r), get(r)), set(t)),
      seq(sub(get(r), mul(get(t), add(k(P1), mul(get(t), add(k(P2), mul(get(t), add(k(P3), mul(get(t), add(k(P4), mul(get(t), k(P5))))))))))), set(c)),
      seq(sub(get(hi), sub(get(lo), div(mul(get(r), get(c)), sub(k(2), get(c))))), set(m)),
    ],
    scale,
    m,
  }
}

/** `e^u = (1 + m) 2^k` into a fresh local, from a reduction (`expNonPositive` in `special/exp.ts`). */
export const expOf = (s: Scope, e: Reduced): Computed => {
  const out = s.local()
  return { steps: [seq(mul(add(s.constant(f64x2.const(1)), get(e.m)), get(e.scale)), set(out))], out }
}

/** `e^u - 1 = 2^k m + (2^k - 1)` into a fresh local, from a reduction (`expm1NonPositive` in `special/exp.ts`). */
export const expm1Of = (s: Scope, e: Reduced): Computed => {
  const out = s.local()
  return { steps: [seq(add(mul(get(e.scale), get(e.m)), sub(get(e.scale), s.constant(f64x2.const(1)))), set(out))], out }
}
