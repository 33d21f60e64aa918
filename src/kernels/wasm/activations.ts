/**
 * The activation kernels in WebAssembly SIMD, generated: relu, sigmoid and tanh over `n` doubles
 * (a multiple of `LANES`: callers pad), each as four kernels:
 * - `op(x, y, n)`: the value;
 * - `opBoth(x, y, d, n)`: the value and the derivative in one pass (a pullback then multiplies);
 * - `opGrad(x, g, out, n)`: `g f'(x)`, recomputing the derivative from `x` (for relu, where that
 *   is cheaper than storing it, and where it selects `g` or 0 rather than multiplying, so that an
 *   infinite `g` at `x <= 0` gives 0);
 * - `opGradUniform(x, out, n, c)`: the same for a uniform cotangent `c` (what a full sum sends
 *   back), without an array of it.
 *
 * They compute what the JavaScript kernels compute, with the same operations in the same order
 * (`e = exp(-|x|)`, `1 / (1 + e)` or `e / (1 + e)`, `min(1/4, e / (1 + e)^2)`; with `u = -2|x|`,
 * `t = exp(u)` and `m = expm1(u)` from one reduction, `tanh = (1 - t) / (1 + t)` from 1/2 on,
 * `-m / (m + 2)` below, and `sech^2 = min(1, 4t / (1 + t)^2)`), `exp` and `expm1` as
 * `special/exp.ts` computes them (see `exp.ts`), so the results are the JavaScript kernels' bit
 * for bit, on every engine.
 *
 * A kernel with a limit returns whether some lane falls outside `|x| <= limit` (NaN included):
 * there its `exp` would leave the range it is generated for, and the caller recomputes those lanes
 * with the JavaScript reference. relu has no such lanes.
 *
 * @packageDocumentation
 */
import type { Code, Func } from './emit.js'
import { f64x2, get, seq, set, v128 } from './emit.js'
import { expm1Of, expOf, reduceExp } from './exp.js'
import { streamLoop, type Compute, type Computed, type Scope, type Steps } from './loop.js'

/** The activations with Wasm kernels. */
export type ActivationOp = 'relu' | 'sigmoid' | 'tanh'

/** The four kernels of an activation. */
export type KernelKind = 'value' | 'both' | 'grad' | 'gradUniform'

/** How an activation computes its value, its derivative, or both, from the lanes in local `x`. */
interface Rules {
  readonly value: (s: Scope, x: number) => Computed
  readonly derivative: (s: Scope, x: number) => Computed
  readonly both: (s: Scope, x: number) => { readonly steps: Steps; readonly y: number; readonly d: number }
  /** `g f'(x)` for lanes `x` and `g`, where it is a selection rather than a product (relu). */
  readonly grad?: (s: Scope, x: number, g: number) => Computed
  /** The largest `|x|` the value kernel handles, and the derivative's (undefined: every lane). */
  readonly limits: { readonly value?: number; readonly derivative?: number }
  /** Pairs of lanes side by side in its kernels (see `loop.ts`; the loop's default if undefined). */
  readonly pairs?: number
}

const k = (s: Scope, x: number): Code => s.constant(f64x2.const(x))
const pick = (m: Code, a: Code, b: Code): Code => seq(a, b, m, v128.bitselect)
const isNaN = (x: Code): Code => seq(x, x, f64x2.ne)
/** One statement computing `code` into a fresh local. */
const computed = (s: Scope, code: Code): Computed => {
  const out = s.local()
  return { steps: [seq(code, set(out))], out }
}
/** Value and derivative computed apart (nothing to share). */
const apart = (value: Rules['value'], derivative: Rules['derivative']): Rules['both'] => (s, x) => {
  const v = value(s, x)
  const d = derivative(s, x)
  return { steps: [...v.steps, ...d.steps], y: v.out, d: d.out }
}

/** `e = exp(-|x|)` and `q = 1 + e`, which sigmoid's value and derivative share. */
const logistic = (s: Scope, x: number): { readonly steps: Steps; readonly e: number; readonly q: number } => {
  const [nx, q] = [s.local(), s.local()]
  const r = reduceExp(s, nx)
  const e = expOf(s, r)
  return { steps: [seq(get(x), f64x2.abs, f64x2.neg, set(nx)), ...r.steps, ...e.steps, seq(k(s, 1), get(e.out), v128.add, set(q))], e: e.out, q }
}
// (x >= 0 ? 1 : e) / (1 + e)
const sigmoidValue = (s: Scope, x: number, e: number, q: number): Code =>
  seq(pick(seq(get(x), k(s, 0), f64x2.ge), k(s, 1), get(e)), get(q), f64x2.div)
// min(1/4, e / (1 + e)^2) (pmin is min for the non-NaN lanes kept)
const sigmoidSlope = (s: Scope, e: number, q: number): Code => seq(k(s, 0.25), get(e), get(q), get(q), v128.mul, f64x2.div, f64x2.pmin)

const reluValue = (s: Scope, x: number): Computed =>
  // x where x > 0 or x is NaN, else +0
  computed(s, pick(seq(get(x), k(s, 0), f64x2.gt, isNaN(get(x)), v128.or), get(x), k(s, 0)))
const reluDerivative = (s: Scope, x: number): Computed =>
  // 1 above 0, 0 at or below, NaN for NaN
  computed(s, pick(isNaN(get(x)), get(x), pick(seq(get(x), k(s, 0), f64x2.gt), k(s, 1), k(s, 0))))
const reluGrad = (s: Scope, x: number, g: number): Computed =>
  // g above 0, 0 at or below whatever g is (an infinite g included), NaN for NaN
  computed(s, pick(isNaN(get(x)), get(x), pick(seq(get(x), k(s, 0), f64x2.gt), get(g), k(s, 0))))
/**
 * tanh's value and derivative from one reduction of `-2|x|`: `t = exp(-2|x|)` and
 * `em = expm1(-2|x|)`, as `tanhValue` and `tanhDerivative` in `activation/tanh.ts` compute them.
 */
const tanhParts = (s: Scope, x: number, withValue: boolean, withDerivative: boolean): { readonly steps: Steps; readonly y: number; readonly d: number } => {
  const [ax, u, small, z, y, q, d] = [s.local(), s.local(), s.local(), s.local(), s.local(), s.local(), s.local()]
  const r = reduceExp(s, u)
  const t = expOf(s, r)
  const em = expm1Of(s, r)
  const value = [
    ...em.steps,
    seq(get(ax), k(s, 0.5), f64x2.lt, set(small)),
    // small ? -em / (em + 2) : (1 - t) / (1 + t), one division
    seq(
      pick(get(small), seq(get(em.out), f64x2.neg), seq(k(s, 1), get(t.out), f64x2.sub)),
      pick(get(small), seq(get(em.out), k(s, 2), v128.add), seq(k(s, 1), get(t.out), v128.add)),
      f64x2.div, set(z),
    ),
    seq(pick(seq(get(ax), k(s, 22), f64x2.lt), get(z), k(s, 1)), set(z)),
    seq(pick(seq(get(x), k(s, 0), f64x2.lt), seq(get(z), f64x2.neg), get(z)), set(z)),
    seq(pick(seq(get(ax), k(s, 2 ** -28), f64x2.lt), get(x), get(z)), set(y)),
  ]
  // min(1, 4t / (1 + t)^2) (pmin is min for the non-NaN lanes kept)
  const derivative = [
    seq(k(s, 1), get(t.out), v128.add, set(q)),
    seq(k(s, 1), k(s, 4), get(t.out), v128.mul, get(q), get(q), v128.mul, f64x2.div, f64x2.pmin, set(d)),
  ]
  return {
    steps: [
      seq(get(x), f64x2.abs, set(ax)),
      seq(k(s, -2), get(ax), v128.mul, set(u)),
      ...r.steps,
      ...t.steps,
      ...(withValue ? value : []),
      ...(withDerivative ? derivative : []),
    ],
    y,
    d,
  }
}

const rules: Readonly<Record<ActivationOp, Rules>> = {
  relu: { value: reluValue, derivative: reluDerivative, both: apart(reluValue, reluDerivative), grad: reluGrad, limits: {} },
  sigmoid: {
    value: (s, x) => {
      const l = logistic(s, x)
      const v = computed(s, sigmoidValue(s, x, l.e, l.q))
      return { steps: [...l.steps, ...v.steps], out: v.out }
    },
    derivative: (s, x) => {
      const l = logistic(s, x)
      const d = computed(s, sigmoidSlope(s, l.e, l.q))
      return { steps: [...l.steps, ...d.steps], out: d.out }
    },
    both: (s, x) => {
      const l = logistic(s, x)
      const [y, d] = [computed(s, sigmoidValue(s, x, l.e, l.q)), computed(s, sigmoidSlope(s, l.e, l.q))]
      return { steps: [...l.steps, ...y.steps, ...d.steps], y: y.out, d: d.out }
    },
    // exp(-|x|) stays normal (and k >= -1021) down to -707
    limits: { value: 700, derivative: 700 },
    // eight exp chains side by side: 1.83 ms per 1e6 for sigmoidBoth on warm memory, against 2.23 with four and 2.05 with six
    pairs: 8,
  },
  // tanh takes every non-NaN x (from 22 on it is 1); its derivative needs exp(-2|x|) normal
  tanh: {
    value: (s, x) => {
      const p = tanhParts(s, x, true, false)
      return { steps: p.steps, out: p.y }
    },
    derivative: (s, x) => {
      const p = tanhParts(s, x, false, true)
      return { steps: p.steps, out: p.d }
    },
    both: (s, x) => {
      const p = tanhParts(s, x, true, true)
      return { steps: p.steps, y: p.y, d: p.d }
    },
    limits: { value: Infinity, derivative: 350 },
    // tanhBoth: 3.22 ms per 1e6 with six pairs, 3.53 with four, 3.8 with eight (spills)
    pairs: 6,
  },
}

/** The largest `|x|` that `op`'s kernel of `kind` computes itself, or undefined if it computes every lane. */
export const limitOf = (op: ActivationOp, kind: KernelKind): number | undefined => {
  const { value, derivative } = rules[op].limits
  if (kind === 'value') return value
  if (kind === 'grad' || kind === 'gradUniform') return derivative
  return value === undefined ? derivative : derivative === undefined ? value : Math.min(value, derivative)
}

const suffix: Readonly<Record<KernelKind, string>> = { value: '', both: 'Both', grad: 'Grad', gradUniform: 'GradUniform' }

/** The name of `op`'s kernel of `kind` in the module: `sigmoid`, `sigmoidBoth`, `sigmoidGrad` or `sigmoidGradUniform`. */
export const kernelName = (op: ActivationOp, kind: KernelKind): string => `${op}${suffix[kind]}`

/**
 * Every activation kernel, `mul(a, b, out, n)`, the elementwise product (a pullback's cotangent
 * times the stored derivative), and `scale(a, out, n, c)`, `c a` (a uniform cotangent times it),
 * whose results are always 0. `expCoefficients` replaces fdlibm's (for tests that perturb one).
 */
export const activationFuncs = (expCoefficients?: readonly number[]): readonly Func[] => {
  const loopKernel = (name: string, ins: number, outs: number, limit: number | undefined, compute: Compute, pairs?: number, scalars = 0): Func =>
    streamLoop({ name, ins, outs, scalars, limit, ...(expCoefficients === undefined ? {} : { expCoefficients }), ...(pairs === undefined ? {} : { pairs }) }, compute)
  const kernels = (op: ActivationOp): Func[] => {
    const r = rules[op]
    /** `g f'(x)` for the lanes of locals `x` and `g` (a cotangent, or one number splatted). */
    const grad = (s: Scope, x: number, g: number): { readonly steps: Steps; readonly results: readonly number[] } => {
      if (r.grad !== undefined) {
        const c = r.grad(s, x, g)
        return { steps: c.steps, results: [c.out] }
      }
      const d = r.derivative(s, x)
      const out = computed(s, seq(get(g), get(d.out), v128.mul))
      return { steps: [...d.steps, ...out.steps], results: [out.out] }
    }
    return [
      loopKernel(kernelName(op, 'value'), 1, 1, limitOf(op, 'value'), (s, [x]) => {
        const v = r.value(s, x!)
        return { steps: v.steps, results: [v.out] }
      }, r.pairs),
      loopKernel(kernelName(op, 'both'), 1, 2, limitOf(op, 'both'), (s, [x]) => {
        const b = r.both(s, x!)
        return { steps: b.steps, results: [b.y, b.d] }
      }, r.pairs),
      loopKernel(kernelName(op, 'grad'), 2, 1, limitOf(op, 'grad'), (s, [x, g]) => grad(s, x!, g!), r.pairs),
      loopKernel(kernelName(op, 'gradUniform'), 1, 1, limitOf(op, 'gradUniform'), (s, [x], [c]) => grad(s, x!, c!), r.pairs, 1),
    ]
  }
  return [
    ...(Object.keys(rules) as ActivationOp[]).flatMap(kernels),
    loopKernel('mul', 2, 1, undefined, (s, [a, b]) => {
      const out = computed(s, seq(get(a!), get(b!), v128.mul))
      return { steps: out.steps, results: [out.out] }
    }),
    streamLoop({ name: 'scale', ins: 1, outs: 1, scalars: 1 }, (s, [a], [c]) => {
      const out = computed(s, seq(get(c!), get(a!), v128.mul))
      return { steps: out.steps, results: [out.out] }
    }),
  ]
}
