/**
 * erfc as a graph of basic operators, for the exact gelu: ONNX Runtime's CPU provider has no
 * float64 `Erf`, and `1 + erf(x)` would cancel in gelu's negative tail anyway. The graph is
 * Special.ts's erfc (fdlibm's rational approximations, the same coefficients) with each branch
 * computed and the right one picked by `Where`, so it keeps the library's accuracy (within a few
 * units in the last place in float64).
 *
 * @packageDocumentation
 */
import type { DType } from './graph.js'
import { horner, type Ops } from './ops.js'
import { erx, pa, pp, qa, qq, ra, rb, sa, sb } from '../special/fdlibm.js'

/**
 * `erfc(x)` as nodes. fdlibm splits `x = z + (x - z)` with the low 32 bits of `z`'s mantissa
 * cleared so that `z * z` is exact; here `z = floor(x 2^k) / 2^k` does the same with operators
 * (`k = 21` in float64: `|x| < 28` leaves `z` at most 26 significant bits; `k = 4` in float32).
 */
export const erfcGraph = (o: Ops, x: string, dtype: DType): string => {
  const a = o.abs(x)
  const negative = o.less(x, o.c(0))
  // |x| < 0.84375: erf(x) = x + x R(x^2)
  const z = o.mul(x, x)
  const y = o.div(horner(o, pp, z), horner(o, qq, z))
  const xy = o.mul(x, y)
  const nearZero = o.where(
    o.less(x, o.c(0.25)),
    o.sub(o.c(1), o.add(x, xy)),
    o.sub(o.c(0.5), o.add(xy, o.sub(x, o.c(0.5)))),
  )
  // 0.84375 <= |x| < 1.25: erf(|x|) = erx + P(s)/Q(s), s = |x| - 1
  const s1 = o.sub(a, o.c(1))
  const n1 = o.div(horner(o, pa, s1), horner(o, qa, s1))
  const nearOne = o.where(negative, o.add(o.c(1), o.add(o.c(erx), n1)), o.sub(o.sub(o.c(1), o.c(erx)), n1))
  // 1.25 <= |x| < 28: erfc(|x|) = exp(-z^2 - 0.5625) exp((z - |x|)(z + |x|) + R/S) / |x|
  const s = o.div(o.c(1), o.mul(a, a))
  const rs = o.where(
    o.less(a, o.c(1 / 0.35)),
    o.div(horner(o, ra, s), horner(o, sa, s)),
    o.div(horner(o, rb, s), horner(o, sb, s)),
  )
  const scale = 2 ** (dtype === 'float64' ? 21 : 4)
  const hi = o.div(o.op('Floor', [o.mul(a, o.c(scale))]), o.c(scale))
  const e1 = o.exp(o.sub(o.neg(o.mul(hi, hi)), o.c(0.5625)))
  const e2 = o.exp(o.add(o.mul(o.sub(hi, a), o.add(hi, a)), rs))
  const tail = o.div(o.mul(e1, e2), a)
  const far = o.where(negative, o.where(o.greater(a, o.c(6)), o.c(2), o.sub(o.c(2), tail)), tail)
  // |x| >= 28
  const beyond = o.where(negative, o.c(2), o.c(0))
  const r = o.where(o.less(a, o.c(0.84375)), nearZero, o.where(o.less(a, o.c(1.25)), nearOne, o.where(o.less(a, o.c(28)), far, beyond)))
  // NaN gives NaN (every comparison above is false for it)
  return o.where(o.equal(x, x), r, x)
}
