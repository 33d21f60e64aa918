/**
 * Scalar reverse mode: gradients of generic scalar functions.
 *
 * Each call evaluates the function once on a tape that lives only for that call. A variable is
 * an index into the tape; the tape keeps, in typed arrays, each node's value, its kind, its (at
 * most two) parents and, for the elementary functions, the local partial derivatives from `Rule`.
 * The backward sweep is a single loop from the last node to the first, so a chain of millions of
 * operations needs no recursion and no object per node. Nothing survives the call: calling twice
 * gives the same answer twice.
 *
 * @packageDocumentation
 */
import { getFloating } from './Dual.js'
import { floatingNumber as N, type Floating, type MultiFn, type VectorFn } from './Floating.js'
import { binaryRules, elementaryOps, unaryRules } from './Rule.js'

/**
 * A reverse-mode variable: an index into the tape of one gradient call. Opaque on purpose.
 *
 * @category model
 */
export type Var = number & {
  /** The brand that keeps plain numbers from being used as tape indices. */
  readonly Var: unique symbol
}

/**
 * The kinds of node. The arithmetic nodes store no partials: the sweep applies their rules from
 * Rule.ts directly (add passes the cotangent through unchanged, mul sends each input the
 * cotangent times the other input's value), which halves the memory a node takes. The other
 * primitives store their local partials, computed by their rules.
 */
const CONST = 0
const ADD = 1
const SUB = 2
const MUL = 3
const NEG = 4
/** One parent, partial in `da`. */
const UNARY = 5
/** Two parents, partials in `da` and `db`. */
const BINARY = 6

/**
 * The tape is kept in chunks of typed arrays, so it grows without copying. A chunk holds, per
 * node: its value, its kind, its parents, and the partials of the nodes that store them. Nodes 0
 * and 1 are the constants 0 and 1.
 */
interface Chunk {
  readonly val: Float64Array
  readonly kind: Uint8Array
  readonly pa: Int32Array
  readonly pb: Int32Array
  readonly da: Float64Array
  readonly db: Float64Array
}

const BITS = 16
const SIZE = 1 << BITS
const MASK = SIZE - 1
/** At most this many chunks (about 2 MB each, a million nodes in all) are kept for reuse between calls. */
const POOL_MAX = 16

/**
 * Scratch memory only: chunks are taken out while a call uses them and put back when it ends,
 * so nested and repeated calls never share one, and every slot a sweep reads was written by its
 * own call.
 */
const pool: Chunk[] = []
const takeChunk = (): Chunk =>
  pool.pop() ?? {
    val: new Float64Array(SIZE),
    kind: new Uint8Array(SIZE),
    pa: new Int32Array(SIZE),
    pb: new Int32Array(SIZE),
    da: new Float64Array(SIZE),
    db: new Float64Array(SIZE),
  }

/**
 * The tape of the call in progress. It lives in module variables, not in an object made per call,
 * so that the operations below are the same functions in every call and the JIT inlines them
 * into the user's code. `withTape` saves and restores it around each call, so calls nest.
 */
let chunks: Chunk[] = []
let vals: Float64Array[] = []
/** The index of the first node of the current chunk, and the next free slot in it. */
let base = -SIZE
let off = SIZE
let val: Float64Array = new Float64Array(0)
let kind: Uint8Array = new Uint8Array(0)
let pa: Int32Array = new Int32Array(0)
let pb: Int32Array = new Int32Array(0)
let da: Float64Array = new Float64Array(0)
let db: Float64Array = new Float64Array(0)

const nextChunk = (): void => {
  const c = takeChunk()
  chunks.push(c)
  vals.push(c.val)
  ;({ val, kind, pa, pb, da, db } = c)
  off = 0
  base += SIZE
}

/** Append a node of kind k with value v and parents a, b; its slot is `off - 1` afterwards. */
const node = (k: number, v: number, a: number, b: number): Var => {
  if (off === SIZE) nextChunk()
  val[off] = v
  kind[off] = k
  pa[off] = a
  pb[off] = b
  return (base + off++) as Var
}

/** Append an elementary function's node with its local partial `ga` towards `a`. */
const unaryNode = (v: number, a: number, ga: number): Var => {
  const x = node(UNARY, v, a, 0)
  da[off - 1] = ga
  return x
}

/** Append a two-argument primitive's node with its local partials `ga`, `gb`. */
const binaryNode = (v: number, a: number, ga: number, b: number, gb: number): Var => {
  const x = node(BINARY, v, a, b)
  da[off - 1] = ga
  db[off - 1] = gb
  return x
}

/** The value of a node; most reads are of recent nodes, in the current chunk. */
const primal = (x: Var): number => (x >= base ? val[x - base]! : vals[x >>> BITS]![x & MASK]!)
const constant = (v: number): Var => node(CONST, v, 0, 0)

const R = unaryRules
const B = binaryRules

/** An elementary function's node, from its rule: the local partial is computed now. */
const unary = (name: keyof typeof unaryRules) => {
  const f = N[name]
  const { d } = R[name]
  return (x: Var): Var => {
    const xv = primal(x)
    const y = f(xv)
    return unaryNode(y, x, d(N, xv, y))
  }
}

/** A two-argument primitive's node, from its rule: both local partials are computed now. */
const binary = (name: keyof typeof binaryRules) => {
  const f = N[name]
  const { dx, dy } = B[name]
  return (x: Var, y: Var): Var => {
    const xv = primal(x)
    const yv = primal(y)
    const z = f(xv, yv)
    return binaryNode(z, x, dx(N, xv, yv, z), y, dy(N, xv, yv, z))
  }
}

/**
 * `Floating` on the tape in progress. Each primitive is its own function (so that the JIT sees
 * one target per call site) and takes its partials from its rule in `Rule`.
 */
const F: Floating<Var> = {
  zero: 0 as Var,
  one: 1 as Var,
  degree: () => 1,
  of: constant,
  primal,
  add: (x, y) => node(ADD, primal(x) + primal(y), x, y),
  sub: (x, y) => node(SUB, primal(x) - primal(y), x, y),
  mul: (x, y) => node(MUL, primal(x) * primal(y), x, y),
  neg: (x) => node(NEG, -primal(x), x, 0),
  ...elementaryOps(unary, binary),
}

/**
 * The cotangent of every node up to the last output of the tape `tape`, by one backward loop,
 * seeded with `seeds[i]` at `outs[i]` (outputs may repeat, their seeds add up). Each node sends
 * its cotangent to its parents by its rule; a zero cotangent is skipped, so it contributes exactly
 * zero even through an infinite partial.
 */
const sweep = (tape: readonly Chunk[], outs: readonly Var[], seeds: readonly number[]): Float64Array => {
  const vals = tape.map((c) => c.val)
  let last = 0
  for (const o of outs) last = Math.max(last, o)
  const g = new Float64Array(last + 1)
  for (let i = 0; i < outs.length; i++) g[outs[i]!]! += seeds[i]!
  for (let c = last >>> BITS; c >= 0; c--) {
    const { kind, pa, pb, da, db, val: cv } = tape[c]!
    const lo = c << BITS
    for (let j = c === last >>> BITS ? last & MASK : MASK; j >= 0; j--) {
      const gi = g[lo + j]!
      if (gi === 0) continue
      const a = pa[j]!
      const b = pb[j]!
      switch (kind[j]) {
        case ADD:
          g[a]! += gi
          g[b]! += gi
          break
        case SUB:
          g[a]! += gi
          g[b]! -= gi
          break
        case MUL:
          // each input gets the cotangent times the other input's value (read from this
          // chunk's values when the input is in it)
          g[a]! += gi * (b >= lo ? cv[b - lo]! : vals[b >>> BITS]![b & MASK]!)
          g[b]! += gi * (a >= lo ? cv[a - lo]! : vals[a >>> BITS]![a & MASK]!)
          break
        case NEG:
          g[a]! -= gi
          break
        case UNARY:
          g[a]! += gi * da[j]!
          break
        case BINARY:
          g[a]! += gi * da[j]!
          g[b]! += gi * db[j]!
          break
      }
    }
  }
  return g
}

/** The cotangents of the input variables. */
const gradientAt = (g: Float64Array, vars: readonly Var[]): number[] => vars.map((v) => g[v] ?? 0)

/**
 * Run `body` on a fresh tape holding the constants 0 and 1 and the inputs `xs`, then restore the
 * tape of any enclosing call, however `body` ends. `body` receives the tape's chunks; unless
 * `keep` is set (a pullback will sweep the tape later), their memory goes back to the pool.
 */
const withTape = <R>(xs: readonly number[], body: (vars: Var[], tape: readonly Chunk[]) => R, keep = false): R => {
  const saved = { chunks, vals, base, off, val, kind, pa, pb, da, db }
  chunks = []
  vals = []
  base = -SIZE
  off = SIZE
  try {
    constant(0)
    constant(1)
    return body(xs.map(constant), chunks)
  } finally {
    if (!keep) for (const c of chunks) if (pool.length < POOL_MAX) pool.push(c)
    ;({ chunks, vals, base, off, val, kind, pa, pb, da, db } = saved)
  }
}

/**
 * The value `f(xs)` and its gradient, by reverse mode: one forward evaluation on a fresh tape
 * and one backward sweep. A variable used many times receives the sum of its cotangents.
 *
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * // the lecture's example: z = t^2 with t = x + y, so dz/dx = dz/dy = 2(x + y)
 * const z: MultiFn = (F) => ([x = F.zero, y = F.zero]) => {
 *   const t = F.add(x, y)
 *   return F.mul(t, t)
 * }
 * Reverse.valueAndGrad(z)([1, 2]) // [9, [6, 6]]
 * ```
 *
 * @category reverse mode
 */
export const valueAndGrad =
  (f: MultiFn) =>
  (xs: readonly number[]): readonly [number, number[]] =>
    withTape(xs, (vars, tape) => {
      const out = f(F)(vars)
      return [primal(out), gradientAt(sweep(tape, [out], [1]), vars)] as const
    })

/**
 * Reverse mode for a function of several variables to several: the values `ys = f(xs)` and the
 * pullback, which maps a cotangent `cs` of the outputs (one entry per output) to `cs J(xs)`, one
 * entry per input. The forward evaluation runs once; each call of the pullback is one backward
 * sweep over the kept tape, and it may be called any number of times.
 *
 * @throws RangeError (from the pullback) if `cs` does not have one entry per output.
 * @example
 * ```ts
 * import { Reverse, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * const [ys, pullback] = Reverse.vjp(f)([2, 3]) // ys = [6, 5]
 * pullback([1, 10]) // [3 + 10, 2 + 10] = [13, 12]
 * ```
 *
 * @category reverse mode
 */
export const vjp =
  (f: VectorFn) =>
  (xs: readonly number[]): readonly [number[], (cs: readonly number[]) => number[]] =>
    withTape(
      xs,
      (vars, tape) => {
        const outs = f(F)(vars)
        const pullback = (cs: readonly number[]): number[] => {
          if (outs.length !== cs.length)
            throw new RangeError(`vjp: expected one cotangent per output (${outs.length}), got ${cs.length}`)
          return gradientAt(sweep(tape, outs, cs), vars)
        }
        return [outs.map(primal), pullback] as const
      },
      true,
    )

/**
 * The gradient `∇f(xs)` by reverse mode. A function of no variables has the empty gradient.
 *
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(x, F.sin(y))
 * Reverse.grad(f)([2, 0]) // [sin(0), 2 cos(0)] = [0, 2]
 * ```
 *
 * @category reverse mode
 */
export const grad =
  (f: MultiFn) =>
  (xs: readonly number[]): number[] =>
    valueAndGrad(f)(xs)[1]

/**
 * The Jacobian matrix `J[i][j] = d f_i / d x_j` by reverse mode: one forward evaluation and one
 * backward sweep per output, so the cheaper choice when there are fewer outputs than inputs
 * (otherwise see `Dual.jacfwd`).
 *
 * @example
 * ```ts
 * import { Reverse, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * Reverse.jacrev(f)([2, 3]) // [[3, 2], [1, 1]]
 * ```
 *
 * @category reverse mode
 */
export const jacrev =
  (f: VectorFn) =>
  (xs: readonly number[]): number[][] =>
    withTape(xs, (vars, tape) => f(F)(vars).map((o) => gradientAt(sweep(tape, [o], [1]), vars)))

/**
 * The exact Hessian-vector product `∇²f(xs) v` of a generic scalar function, by reverse mode over
 * forward mode: the gradient of `x ↦ ∇f(x)·v`, where the inner directional derivative comes from
 * dual numbers. Costs a small multiple of one gradient; no Hessian is formed.
 *
 * @throws RangeError if `v` and `xs` differ in length.
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * // f = x^2 y: H = [[2y, 2x], [2x, 0]]
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.mul(x, x), y)
 * Reverse.hvp(f)([1, 2], [1, 0]) // [4, 2]: the first column of H at (1, 2)
 * ```
 *
 * @category reverse mode
 */
export const hvp =
  (f: MultiFn) =>
  (xs: readonly number[], v: readonly number[]): number[] => {
    if (v.length !== xs.length)
      throw new RangeError(`hvp: expected a direction of length ${xs.length} (one entry per input), got ${v.length}`)
    return grad(<S>(F: Floating<S>) => (vs: readonly S[]) => {
      const D = getFloating(F)
      return f(D)(vs.map((re, i) => ({ re, eps: F.of(v[i]!) }))).eps
    })(xs)
  }

/**
 * The Hessian matrix of `f` at `xs`, by reverse mode over forward mode: column `j` is the
 * gradient of the directional derivative of `f` along the j-th unit vector.
 *
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(F.mul(x, x), y)
 * Reverse.hessian(f)([1, 2]) // [[2y, 2x], [2x, 0]] = [[4, 2], [2, 0]]
 * ```
 *
 * @category reverse mode
 */
export const hessian =
  (f: MultiFn) =>
  (xs: readonly number[]): number[][] =>
    xs.map((_, j) =>
      grad(<A>(F: Floating<A>) => (vs: readonly A[]) => {
        const D = getFloating(F)
        return f(D)(vs.map((v, i) => ({ re: v, eps: i === j ? F.one : F.zero }))).eps
      })(xs),
    )
