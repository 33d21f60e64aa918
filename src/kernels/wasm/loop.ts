/**
 * The loop every elementwise kernel is: `n` doubles (even; callers pad) at each input pointer,
 * two lanes a step, results stored two lanes a step at each output pointer. A kernel supplies
 * only the arithmetic of one step (a {@link Compute}); the loop loads, stores, advances the
 * pointers, sets the constants once before it starts, splats its f64 parameters, and counts the
 * lanes of the first input outside `|x| <= limit` (the lanes its caller finishes in JavaScript).
 *
 * A kernel's signature: `(in..., out..., n, scalar...) -> lanes outside the limit` (0 without one),
 * pointers in bytes.
 *
 * @packageDocumentation
 */
import type { Code, Func, ValType } from './emit.js'
import { block, brIf, f64x2, get, i32, i64, i64x2, locals, loop, seq, set, v128 } from './emit.js'
import type { Scope } from './exp.js'

/**
 * One step's arithmetic: from the locals holding the input lanes and the splatted scalar
 * parameters, code and the locals holding the results.
 */
export type Compute = (
  s: Scope, xs: readonly number[], scalars: readonly number[],
) => { readonly code: Code; readonly results: readonly number[] }

/** A kernel's name, its numbers of inputs, outputs and f64 parameters, and its limit. */
export interface LoopShape {
  readonly name: string
  readonly ins: number
  readonly outs: number
  readonly scalars?: number
  readonly limit?: number | undefined
  /** `exp`'s coefficients for the scope, if not fdlibm's (tests perturb one). */
  readonly expCoefficients?: readonly number[]
}

/** The kernel of `shape` around `compute`. */
export const streamLoop = (shape: LoopShape, compute: Compute): Func => {
  const { name, ins, outs, scalars = 0, limit, expCoefficients } = shape
  const n = ins + outs
  const params: ValType[] = [...new Array<ValType>(n + 1).fill('i32'), ...new Array<ValType>(scalars).fill('f64')]
  const l = locals(params)
  const end = l.add('i32')
  const count = l.add('v128')
  const xs = Array.from({ length: ins }, () => l.add('v128'))
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
  const { code, results } = compute(scope, xs, splats)
  const counted = limit === undefined
    ? []
    // count - (|x| <= limit ? 0 : -1), as i64 lanes
    : [get(count), get(xs[0]!), f64x2.abs, scope.constant(f64x2.const(limit)), f64x2.le, v128.not, i64x2.sub, set(count)]
  const body = seq(
    get(0), get(n), i32.const(3), i32.shl, i32.add, set(end),
    v128.zero, set(count),
    ...splats.map((v, i) => seq(get(n + 1 + i), f64x2.splat, set(v))),
    ...[...pool.values()].map((c) => seq(c.code, set(c.local))),
    block(
      get(0), get(end), i32.geS, brIf(0),
      loop(
        ...xs.map((x, i) => seq(get(i), v128.load(), set(x))),
        code,
        ...results.map((r, i) => seq(get(ins + i), get(r), v128.store())),
        ...counted,
        ...Array.from({ length: n }, (_, p) => seq(get(p), i32.const(16), i32.add, set(p))),
        get(0), get(end), i32.ltS, brIf(0),
      ),
    ),
    get(count), i64x2.extractLane(0), get(count), i64x2.extractLane(1), i64.add, i32.wrapI64,
  )
  return { name, params, results: ['i32'], locals: l.types(), body }
}
