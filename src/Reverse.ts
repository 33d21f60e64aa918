/**
 * Scalar reverse mode: gradients of generic scalar functions.
 *
 * Each call evaluates the function once on a tape that lives only for that call. A variable is
 * an index into the tape; the tape keeps, in typed arrays, each node's value, its (at most two)
 * parents and the local partial derivatives from `Rule`. The backward sweep is a single loop from
 * the last node to the first, so a chain of millions of operations needs no recursion and no
 * object per node. Nothing survives the call: calling twice gives the same answer twice.
 *
 * @packageDocumentation
 */
import { getFloating } from './Dual.js'
import { floatingNumber as N, type Floating, type MultiFn, type VectorFn } from './Floating.js'
import { binaryRules, unaryRules } from './Rule.js'

/**
 * A reverse-mode variable: an index into the tape of one gradient call. Opaque on purpose.
 *
 * @category model
 */
export type Var = number & { readonly Var: unique symbol }

/**
 * The tape is kept in chunks of typed arrays, so it grows without copying. A chunk holds, per
 * node: its value, its two parents and the local partials towards them (unary nodes point their
 * second parent at the constant 0 with partial 0). Nodes 0 and 1 are the constants 0 and 1.
 */
interface Chunk {
  readonly val: Float64Array
  readonly pa: Int32Array
  readonly pb: Int32Array
  readonly da: Float64Array
  readonly db: Float64Array
}

const BITS = 16
const SIZE = 1 << BITS
const MASK = SIZE - 1

/**
 * Scratch memory only: chunks are taken out while a call uses them and put back when it ends,
 * so nested and repeated calls never share one, and every slot a sweep reads was written by its
 * own call.
 */
const pool: Chunk[] = []
const takeChunk = (): Chunk =>
  pool.pop() ?? {
    val: new Float64Array(SIZE),
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
let n = 0
let off = SIZE
let val: Float64Array = new Float64Array(0)
let pa: Int32Array = new Int32Array(0)
let pb: Int32Array = new Int32Array(0)
let da: Float64Array = new Float64Array(0)
let db: Float64Array = new Float64Array(0)

const nextChunk = (): void => {
  const c = takeChunk()
  chunks.push(c)
  vals.push(c.val)
  ;({ val, pa, pb, da, db } = c)
  off = 0
}

/** Append a node with value v and parents a, b with local partials ga, gb. */
const push = (v: number, a: number, ga: number, b: number, gb: number): Var => {
  if (off === SIZE) nextChunk()
  val[off] = v
  pa[off] = a
  da[off] = ga
  pb[off] = b
  db[off] = gb
  off++
  return n++ as Var
}

const primal = (x: Var): number => vals[x >>> BITS]![x & MASK]!
const constant = (v: number): Var => push(v, 0, 0, 0, 0)

const unary = (name: keyof typeof unaryRules) => {
  const f = N[name]
  const { d } = unaryRules[name]
  return (x: Var): Var => {
    const xv = primal(x)
    const y = f(xv)
    return push(y, x, d(N, xv, y), 0, 0)
  }
}

const binary = (name: keyof typeof binaryRules) => {
  const f = N[name]
  const { dx, dy } = binaryRules[name]
  return (x: Var, y: Var): Var => {
    const xv = primal(x)
    const yv = primal(y)
    const z = f(xv, yv)
    return push(z, x, dx(N, xv, yv, z), y, dy(N, xv, yv, z))
  }
}

/** `Floating` on the tape in progress. */
const F: Floating<Var> = {
  zero: 0 as Var,
  one: 1 as Var,
  degree: () => 1,
  of: constant,
  primal,
  // The arithmetic rules of Rule.ts written out, so that the hot path inlines: add passes the
  // cotangent through (partials 1, 1), mul sends each input the other one (partials y, x).
  // The law tests check these against Rule.ts.
  add: (x, y) => push(primal(x) + primal(y), x, 1, y, 1),
  sub: (x, y) => push(primal(x) - primal(y), x, 1, y, -1),
  mul: (x, y) => {
    const xv = primal(x)
    const yv = primal(y)
    return push(xv * yv, x, yv, y, xv)
  },
  neg: (x) => push(-primal(x), x, -1, 0, 0),
  div: binary('div'),
  mod: binary('mod'),
  pow: binary('pow'),
  recip: unary('recip'),
  abs: unary('abs'),
  sqrt: unary('sqrt'),
  exp: unary('exp'),
  expm1: unary('expm1'),
  log: unary('log'),
  log1p: unary('log1p'),
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan'),
  asin: unary('asin'),
  acos: unary('acos'),
  atan: unary('atan'),
  sinh: unary('sinh'),
  cosh: unary('cosh'),
  tanh: unary('tanh'),
  erf: unary('erf'),
  erfc: unary('erfc'),
}

/**
 * The cotangent of every node up to the last output, by one backward loop over the tape, seeded
 * with `seeds[i]` at `outs[i]` (outputs may repeat, their seeds add up).
 */
const sweep = (outs: readonly Var[], seeds: readonly number[]): Float64Array => {
  let last = 0
  for (const o of outs) last = Math.max(last, o)
  const g = new Float64Array(last + 1)
  for (let i = 0; i < outs.length; i++) g[outs[i]!]! += seeds[i]!
  for (let c = last >>> BITS; c >= 0; c--) {
    const { pa, pb, da, db } = chunks[c]!
    const base = c << BITS
    const top = c === last >>> BITS ? last & MASK : MASK
    for (let j = top; j >= 0; j--) {
      const gi = g[base + j]!
      // a zero cotangent contributes exactly zero, even through an infinite partial
      if (gi !== 0) {
        g[pa[j]!]! += gi * da[j]!
        g[pb[j]!]! += gi * db[j]!
      }
    }
  }
  return g
}

/** The cotangents of the input variables. */
const gradientAt = (g: Float64Array, vars: readonly Var[]): number[] => vars.map((v) => g[v] ?? 0)

/**
 * Run `body` on a fresh tape holding the constants 0 and 1 and the inputs `xs`, then give the
 * tape's memory back and restore the tape of any enclosing call, however `body` ends.
 */
const withTape = <R>(xs: readonly number[], body: (vars: Var[]) => R): R => {
  const saved = { chunks, vals, n, off, val, pa, pb, da, db }
  chunks = []
  vals = []
  n = 0
  off = SIZE
  try {
    constant(0)
    constant(1)
    return body(xs.map(constant))
  } finally {
    pool.push(...chunks)
    ;({ chunks, vals, n, off, val, pa, pb, da, db } = saved)
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
 * Reverse.valueAndGradient(z)([1, 2]) // [9, [6, 6]]
 * ```
 *
 * @category reverse mode
 */
export const valueAndGradient =
  (f: MultiFn) =>
  (xs: readonly number[]): readonly [number, number[]] =>
    withTape(xs, (vars) => {
      const out = f(F)(vars)
      const g = sweep([out], [1])
      return [primal(out), gradientAt(g, vars)] as const
    })

/**
 * The vector-Jacobian product: the values `ys = f(xs)` and the cotangent `cs J(xs)` pulled back
 * from a cotangent `cs` of the outputs (one entry per output), by one forward evaluation and one
 * backward sweep. `gradient` is the case of one output and `cs = [1]`.
 *
 * @example
 * ```ts
 * import { Reverse, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * Reverse.vjp(f)([2, 3], [1, 10]) // [[6, 5], [3 + 10, 2 + 10]] = [[6, 5], [13, 12]]
 * ```
 *
 * @category reverse mode
 */
export const vjp =
  (f: VectorFn) =>
  (xs: readonly number[], cs: readonly number[]): readonly [number[], number[]] =>
    withTape(xs, (vars) => {
      const outs = f(F)(vars)
      if (outs.length !== cs.length)
        throw new RangeError(`vjp: expected one cotangent per output (${outs.length}), got ${cs.length}`)
      return [outs.map(primal), gradientAt(sweep(outs, cs), vars)] as const
    })

/**
 * The gradient `∇f(xs)` by reverse mode. A function of no variables has the empty gradient.
 *
 * @example
 * ```ts
 * import { Reverse, type MultiFn } from 'autodiff-ts'
 *
 * const f: MultiFn = (F) => ([x = F.zero, y = F.zero]) => F.mul(x, F.sin(y))
 * Reverse.gradient(f)([2, 0]) // [sin(0), 2 cos(0)] = [0, 2]
 * ```
 *
 * @category reverse mode
 */
export const gradient =
  (f: MultiFn) =>
  (xs: readonly number[]): number[] =>
    valueAndGradient(f)(xs)[1]

/**
 * The Jacobian matrix `J[i][j] = d f_i / d x_j`. Uses reverse mode (one sweep per output) when
 * there are no more outputs than inputs, forward mode (one pass per input) otherwise.
 *
 * @example
 * ```ts
 * import { Reverse, type VectorFn } from 'autodiff-ts'
 *
 * const f: VectorFn = (F) => ([x = F.zero, y = F.zero]) => [F.mul(x, y), F.add(x, y)]
 * Reverse.jacobian(f)([2, 3]) // [[3, 2], [1, 1]]
 * ```
 *
 * @category reverse mode
 */
export const jacobian =
  (f: VectorFn) =>
  (xs: readonly number[]): number[][] => {
    const [m, rows] = withTape(xs, (vars) => {
      const outs = f(F)(vars)
      const byRows = outs.length <= xs.length
      return [outs.length, byRows ? outs.map((o) => gradientAt(sweep([o], [1]), vars)) : undefined] as const
    })
    if (rows !== undefined) return rows
    const D = getFloating(N)
    const columns = xs.map((_, j) => f(D)(xs.map((x, i) => ({ re: x, eps: i === j ? 1 : 0 }))))
    return Array.from({ length: m }, (_, i) => columns.map((col) => col[i]!.eps))
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
      gradient(<A>(F: Floating<A>) => (vs: readonly A[]) => {
        const D = getFloating(F)
        return f(D)(vs.map((v, i) => ({ re: v, eps: i === j ? F.one : F.zero }))).eps
      })(xs),
    )
