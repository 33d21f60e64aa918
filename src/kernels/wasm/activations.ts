/**
 * The activation kernels in WebAssembly SIMD, generated: relu, sigmoid and tanh, two lanes at a
 * time over `n` doubles (`n` even: callers pad), each as three kernels:
 * - `op(x, y, n)`: the value;
 * - `opBoth(x, y, d, n)`: the value and the derivative in one pass (a pullback then multiplies);
 * - `opGrad(x, g, out, n)`: `g f'(x)`, recomputing the derivative from `x` (for relu, where that
 *   is cheaper than storing it, and where it selects `g` or 0 rather than multiplying, so that an
 *   infinite `g` at `x <= 0` gives 0).
 *
 * They compute what the JavaScript kernels compute, with the same operations in the same order
 * (`e = exp(-|x|)`, `1 / (1 + e)` or `e / (1 + e)`, `min(1/4, e / (1 + e)^2)`; with
 * `t = exp(-2|x|)`, `tanh = (1 - t) / (1 + t)` from 1/2 on, fdlibm's `-m / (m + 2)` with
 * `m = expm1(-2|x|)` below, and `sech^2 = min(1, 4t / (1 + t)^2)`), so the results are the
 * JavaScript kernels' bit for bit on V8 (see `fdlibm.ts`).
 *
 * A kernel with a limit returns how many lanes fall outside `|x| <= limit` (NaN included): there
 * its `exp` would leave the range it is generated for, and the caller recomputes those lanes with
 * the JavaScript reference. relu has no such lanes.
 *
 * @packageDocumentation
 */
import type { Code, Func } from './emit.js'
import { f64x2, get, seq, set, v128 } from './emit.js'
import { expm1Of, expOf, reduceExp, type Scope } from './exp.js'
import { streamLoop, type Compute } from './loop.js'

/** The activations with Wasm kernels. */
export type ActivationOp = 'relu' | 'sigmoid' | 'tanh'

/** The three kernels of an activation. */
export type KernelKind = 'value' | 'both' | 'grad'

/** Code leaving a result in a local. */
interface Computed {
  readonly code: Code
  readonly out: number
}

/** How an activation computes its value, its derivative, or both, from the lanes in local `x`. */
interface Rules {
  readonly value: (s: Scope, x: number) => Computed
  readonly derivative: (s: Scope, x: number) => Computed
  readonly both: (s: Scope, x: number) => { readonly code: Code; readonly y: number; readonly d: number }
  /** `g f'(x)` for lanes `x` and `g`, where it is a selection rather than a product (relu). */
  readonly grad?: (s: Scope, x: number, g: number) => Computed
  /** The largest `|x|` the value kernel handles, and the derivative's (undefined: every lane). */
  readonly limits: { readonly value?: number; readonly derivative?: number }
}

const k = (s: Scope, x: number): Code => s.constant(f64x2.const(x))
const pick = (m: Code, a: Code, b: Code): Code => seq(a, b, m, v128.bitselect)
const isNaN = (x: Code): Code => seq(x, x, f64x2.ne)
const computed = (s: Scope, code: (out: number) => Code): Computed => {
  const out = s.local()
  return { code: code(out), out }
}
/** Value and derivative computed apart (nothing to share). */
const apart = (value: Rules['value'], derivative: Rules['derivative']): Rules['both'] => (s, x) => {
  const v = value(s, x)
  const d = derivative(s, x)
  return { code: seq(v.code, d.code), y: v.out, d: d.out }
}

/** `e = exp(-|x|)` and `q = 1 + e`, which sigmoid's value and derivative share. */
const logistic = (s: Scope, x: number): { readonly code: Code; readonly e: number; readonly q: number } => {
  const [nx, q] = [s.local(), s.local()]
  const r = reduceExp(s, nx)
  const e = expOf(s, r)
  return { code: seq(get(x), f64x2.abs, f64x2.neg, set(nx), r.code, e.code, k(s, 1), get(e.out), v128.add, set(q)), e: e.out, q }
}
// (x >= 0 ? 1 : e) / (1 + e)
const sigmoidValue = (s: Scope, x: number, e: number, q: number): Code =>
  seq(pick(seq(get(x), k(s, 0), f64x2.ge), k(s, 1), get(e)), get(q), f64x2.div)
// min(1/4, e / (1 + e)^2) (pmin is min for the non-NaN lanes kept)
const sigmoidSlope = (s: Scope, e: number, q: number): Code => seq(k(s, 0.25), get(e), get(q), get(q), v128.mul, f64x2.div, f64x2.pmin)

const reluValue = (s: Scope, x: number): Computed =>
  // x where x > 0 or x is NaN, else +0
  computed(s, (out) => seq(pick(seq(get(x), k(s, 0), f64x2.gt, isNaN(get(x)), v128.or), get(x), k(s, 0)), set(out)))
const reluDerivative = (s: Scope, x: number): Computed =>
  // 1 above 0, 0 at or below, NaN for NaN
  computed(s, (out) => seq(pick(isNaN(get(x)), get(x), pick(seq(get(x), k(s, 0), f64x2.gt), k(s, 1), k(s, 0))), set(out)))
const reluGrad = (s: Scope, x: number, g: number): Computed =>
  // g above 0, 0 at or below whatever g is (an infinite g included), NaN for NaN
  computed(s, (out) => seq(pick(isNaN(get(x)), get(x), pick(seq(get(x), k(s, 0), f64x2.gt), get(g), k(s, 0))), set(out)))
/**
 * tanh's value and derivative from `t = exp(-2|x|)` (and `expm1(-2|x|)` below 1/2), as
 * `tanhValue` and `tanhDerivative` in `activation/tanh.ts` compute them.
 */
const tanhParts = (s: Scope, x: number, withValue: boolean, withDerivative: boolean): { readonly code: Code; readonly y: number; readonly d: number } => {
  const [ax, u, small, z, y, q, d] = [s.local(), s.local(), s.local(), s.local(), s.local(), s.local(), s.local()]
  const r = reduceExp(s, u)
  const t = expOf(s, r)
  const em = expm1Of(s, r)
  const value = seq(
    em.code,
    get(ax), k(s, 0.5), f64x2.lt, set(small),
    // small ? -em / (em + 2) : (1 - t) / (1 + t), one division
    pick(get(small), seq(get(em.out), f64x2.neg), seq(k(s, 1), get(t.out), f64x2.sub)),
    pick(get(small), seq(get(em.out), k(s, 2), v128.add), seq(k(s, 1), get(t.out), v128.add)),
    f64x2.div, set(z),
    pick(seq(get(ax), k(s, 22), f64x2.lt), get(z), k(s, 1)), set(z),
    pick(seq(get(x), k(s, 0), f64x2.lt), seq(get(z), f64x2.neg), get(z)), set(z),
    pick(seq(get(ax), k(s, 2 ** -28), f64x2.lt), get(x), get(z)), set(y),
  )
  // min(1, 4t / (1 + t)^2) (pmin is min for the non-NaN lanes kept)
  const derivative = seq(k(s, 1), get(t.out), v128.add, set(q), k(s, 1), k(s, 4), get(t.out), v128.mul, get(q), get(q), v128.mul, f64x2.div, f64x2.pmin, set(d))
  return {
    code: seq(
      get(x), f64x2.abs, set(ax),
      k(s, -2), get(ax), v128.mul, set(u),
      r.code,
      t.code,
      withValue ? value : [],
      withDerivative ? derivative : [],
    ),
    y,
    d,
  }
}

const rules: Readonly<Record<ActivationOp, Rules>> = {
  relu: { value: reluValue, derivative: reluDerivative, both: apart(reluValue, reluDerivative), grad: reluGrad, limits: {} },
  sigmoid: {
    value: (s, x) => {
      const l = logistic(s, x)
      return computed(s, (out) => seq(l.code, sigmoidValue(s, x, l.e, l.q), set(out)))
    },
    derivative: (s, x) => {
      const l = logistic(s, x)
      return computed(s, (out) => seq(l.code, sigmoidSlope(s, l.e, l.q), set(out)))
    },
    both: (s, x) => {
      const l = logistic(s, x)
      const [y, d] = [s.local(), s.local()]
      return { code: seq(l.code, sigmoidValue(s, x, l.e, l.q), set(y), sigmoidSlope(s, l.e, l.q), set(d)), y, d }
    },
    // exp(-|x|) stays normal (and fdlibm's k >= -1021) down to -707
    limits: { value: 700, derivative: 700 },
  },
  // tanh takes every non-NaN x (from 22 on it is 1); its derivative needs exp(-2|x|) normal
  tanh: {
    value: (s, x) => {
      const p = tanhParts(s, x, true, false)
      return { code: p.code, out: p.y }
    },
    derivative: (s, x) => {
      const p = tanhParts(s, x, false, true)
      return { code: p.code, out: p.d }
    },
    both: (s, x) => {
      const p = tanhParts(s, x, true, true)
      return { code: p.code, y: p.y, d: p.d }
    },
    limits: { value: Infinity, derivative: 350 },
  },
}

/** The largest `|x|` that `op`'s kernel of `kind` computes itself, or undefined if it computes every lane. */
export const limitOf = (op: ActivationOp, kind: KernelKind): number | undefined => {
  const { value, derivative } = rules[op].limits
  if (kind === 'value') return value
  if (kind === 'grad') return derivative
  return value === undefined ? derivative : derivative === undefined ? value : Math.min(value, derivative)
}

/** The name of `op`'s kernel of `kind` in the module: `sigmoid`, `sigmoidBoth` or `sigmoidGrad`. */
export const kernelName = (op: ActivationOp, kind: KernelKind): string => (kind === 'value' ? op : `${op}${kind === 'both' ? 'Both' : 'Grad'}`)

/**
 * Every activation kernel, and `mul(a, b, out, n)`, the elementwise product (a pullback's
 * cotangent times the stored derivative), whose result is always 0. `expCoefficients` replaces
 * fdlibm's (for tests that perturb one).
 */
export const activationFuncs = (expCoefficients?: readonly number[]): readonly Func[] => {
  const loopKernel = (name: string, ins: number, outs: number, limit: number | undefined, compute: Compute): Func =>
    streamLoop({ name, ins, outs, limit, ...(expCoefficients === undefined ? {} : { expCoefficients }) }, compute)
  return [
    ...(Object.keys(rules) as ActivationOp[]).flatMap((op) => {
    const r = rules[op]
    return [
      loopKernel(kernelName(op, 'value'), 1, 1, limitOf(op, 'value'), (s, [x]) => {
        const v = r.value(s, x!)
        return { code: v.code, results: [v.out] }
      }),
      loopKernel(kernelName(op, 'both'), 1, 2, limitOf(op, 'both'), (s, [x]) => {
        const b = r.both(s, x!)
        return { code: b.code, results: [b.y, b.d] }
      }),
      loopKernel(kernelName(op, 'grad'), 2, 1, limitOf(op, 'grad'), (s, [x, g]) => {
        if (r.grad !== undefined) {
          const c = r.grad(s, x!, g!)
          return { code: c.code, results: [c.out] }
        }
        const d = r.derivative(s, x!)
        const out = s.local()
        return { code: seq(d.code, get(g!), get(d.out), v128.mul, set(out)), results: [out] }
      }),
    ]
  }),
  loopKernel('mul', 2, 1, undefined, (s, [a, b]) => {
    const out = s.local()
    return { code: seq(get(a!), get(b!), v128.mul, set(out)), results: [out] }
  }),
  ]
}
