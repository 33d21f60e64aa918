/**
 * The loop every elementwise kernel is: `n` doubles (a multiple of {@link LANES}; callers pad) at
 * each input pointer, `2 u` lanes a step, results stored at each output pointer. A kernel
 * supplies only the arithmetic of one pair of lanes (a {@link Compute}); the loop runs `u` copies
 * of it side by side, loads, stores, advances the pointers, sets the constants once before it
 * starts, splats its f64 parameters, and notes whether a lane of the first input falls outside
 * `|x| <= limit` (its caller then finishes those lanes in JavaScript), or, for an update, whether
 * a lane of a result is not finite.
 *
 * Why `u` copies, interleaved statement by statement: one pair's `exp` is a chain of about 25
 * dependent operations (some 70 cycles on this machine), and the out-of-order core overlaps only
 * a few iterations of it; with four independent chains side by side the same `exp` took 1.6 ms
 * per 1e6 doubles instead of 2.1 (six or eight: 1.5, though beyond about four V8 spills
 * registers; each activation picks its number, measured). So a Compute is a list of statements
 * (each ending in a `local.set`), not one block of code.
 *
 * A kernel's signature: `(in..., out..., n, scalar...) -> 1 if a lane is outside the limit (or a
 * result is not finite), else 0`,
 * pointers in bytes.
 *
 * @packageDocumentation
 */
import type { Code, Func, ValType } from './emit.js'
import { block, brIf, f64x2, get, i32, locals, loop, seq, set, v128 } from './emit.js'

/** Statements, each leaving its value in a local: what one pair of lanes computes. */
export type Steps = readonly Code[]

/** Statements leaving a result in a local. */
export interface Computed {
  readonly steps: Steps
  readonly out: number
}

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

/**
 * One pair's arithmetic: from the locals holding its input lanes and the splatted scalar
 * parameters, statements and the locals holding the results.
 */
export type Compute = (
  s: Scope, xs: readonly number[], scalars: readonly number[],
) => { readonly steps: Steps; readonly results: readonly number[] }

/** The multiple `n` must be: the doubles of an iteration of four, six or eight pairs side by side. */
export const LANES = 48

/** A kernel's name, its numbers of inputs, outputs and f64 parameters, and its limit. */
export interface LoopShape {
  readonly name: string
  readonly ins: number
  readonly outs: number
  readonly scalars?: number
  readonly limit?: number | undefined
  /** `exp`'s coefficients for the scope, if not fdlibm's (tests perturb one). */
  readonly expCoefficients?: readonly number[]
  /** Pairs of lanes side by side (4, 6 or 8, so that an iteration's lanes divide {@link LANES}; 4 by default). */
  readonly pairs?: number
  /** Note instead whether a lane of a result is not finite (`r - r` is 0 exactly for a finite `r`); no `limit` then. */
  readonly finiteResults?: boolean
}

/** The kernel of `shape` around `compute`. */
export const streamLoop = (shape: LoopShape, compute: Compute): Func => {
  const { name, ins, outs, scalars = 0, limit, expCoefficients, pairs: copies = 4, finiteResults = false } = shape
  const n = ins + outs
  const params: ValType[] = [...new Array<ValType>(n + 1).fill('i32'), ...new Array<ValType>(scalars).fill('f64')]
  const l = locals(params)
  const end = l.add('i32')
  const inside = l.add('v128')
  const splats = Array.from({ length: scalars }, () => l.add('v128'))
  // constants live in locals set before the loop, one per distinct value
  const pool = new Map<string, { readonly local: number; readonly code: Code }>()
  const scope: Scope = {
    ...(expCoefficients === undefined ? {} : { expCoefficients }),
    local: () => l.add('v128'),
    constant: (c) => {
      const key = c.join(',')
      const known = pool.get(key) ?? { local: l.add('v128'), code: c }
      pool.set(key, known)
      return get(known.local)
    },
  }
  const pairs = Array.from({ length: copies }, (_, c) => {
    const xs = Array.from({ length: ins }, () => l.add('v128'))
    const { steps, results } = compute(scope, xs, splats)
    const loads = xs.map((x, i) => seq(get(i), v128.load(16 * c), set(x)))
    const stores = results.map((r, i) => seq(get(ins + i), get(r), v128.store(16 * c)))
    const counted = finiteResults
      // inside &= r - r == 0 (false for NaN and +-Infinity)
      ? results.map((r) => seq(get(inside), get(r), get(r), f64x2.sub, v128.zero, f64x2.eq, v128.and, set(inside)))
      : limit === undefined
        ? []
        // inside &= |x| <= limit (false for NaN)
        : [seq(get(inside), get(xs[0]!), f64x2.abs, scope.constant(f64x2.const(limit)), f64x2.le, v128.and, set(inside))]
    return [...loads, ...steps, ...stores, ...counted]
  })
  // statement i of every pair, then statement i + 1 (every pair has the same statements)
  const interleaved = pairs[0]!.flatMap((_, i) => pairs.map((p) => p[i]!))
  const body = seq(
    get(0), get(n), i32.const(3), i32.shl, i32.add, set(end),
    v128.zero, v128.not, set(inside),
    ...splats.map((v, i) => seq(get(n + 1 + i), f64x2.splat, set(v))),
    ...[...pool.values()].map((c) => seq(c.code, set(c.local))),
    block(
      get(0), get(end), i32.geS, brIf(0),
      loop(
        ...interleaved,
        ...Array.from({ length: n }, (_, p) => seq(get(p), i32.const(16 * copies), i32.add, set(p))),
        get(0), get(end), i32.ltS, brIf(0),
      ),
    ),
    get(inside), v128.not, v128.anyTrue,
  )
  return { name, params, results: ['i32'], locals: l.types(), body }
}
