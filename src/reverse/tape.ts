/**
 * The flat tape: reverse mode on plain numbers, for a gradient call that uses no variable of an
 * enclosing call (every call, unless nested ones share variables).
 *
 * The tape keeps, in chunks of typed arrays, each node's value, its kind, its (at most two)
 * parents and, for the elementary functions, the local partial derivatives from `Rule`. A
 * variable is a small object holding its call's tag, its node and its value; the tag tells a
 * variable of this call from one of an enclosing call (the call then restarts nested) and from one
 * of a call that has ended (an error). The backward sweep is a single loop from the last node to
 * the first, so a chain of millions of operations needs no recursion.
 *
 * @packageDocumentation
 */
import { floatingNumber as N, type Floating } from '../Floating.js'
import { binaryRules, elementaryOps, unaryRules } from '../Rule.js'
import { ADD, BINARY, CONST, enter, leave, MUL, NEG, refuse, SUB, TapeVar, UNARY, type Var } from './calls.js'

/**
 * The tape is kept in chunks of typed arrays, so it grows without copying. A chunk holds, per
 * node: its value, its kind, its parents, and the partials of the nodes that store them. Nodes 0
 * and 1 are the constants 0 and 1.
 */
export interface Chunk {
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
let tag = 0
let chunks: Chunk[] = []
/** The index of the first node of the current chunk, and the next free slot in it. */
let base = -SIZE
let off = SIZE
let val: Float64Array = new Float64Array(0)
let kind: Uint8Array = new Uint8Array(0)
let pa: Int32Array = new Int32Array(0)
let pb: Int32Array = new Int32Array(0)
let da: Float64Array = new Float64Array(0)
let db: Float64Array = new Float64Array(0)
let zeroVar = new TapeVar(0, 0, 0)
let oneVar = new TapeVar(0, 1, 1)

const nextChunk = (): void => {
  const c = takeChunk()
  chunks.push(c)
  ;({ val, kind, pa, pb, da, db } = c)
  off = 0
  base += SIZE
}

/** Append a node of kind k with value v and parents a, b; its slot is `off - 1` afterwards. */
const node = (k: number, v: number, a: number, b: number): TapeVar => {
  if (off === SIZE) nextChunk()
  val[off] = v
  kind[off] = k
  pa[off] = a
  pb[off] = b
  return new TapeVar(tag, base + off++, v)
}

/**
 * `u` as a variable of this call: itself, or a constant node for a number (0 and 1 are nodes 0
 * and 1). Anything else is refused: a variable of an enclosing call restarts the call nested, a
 * variable of an ended call is an Error, any other value a TypeError; `where` names the place.
 */
export const lift = (where: string, u: unknown): TapeVar => {
  if (u instanceof TapeVar && u.t === tag) return u
  if (typeof u === 'number') return u === 0 ? zeroVar : u === 1 ? oneVar : node(CONST, u, 0, 0)
  throw refuse(where, u, tag, true)
}

const R = unaryRules
const B = binaryRules

/** An elementary function's node, from its rule: the local partial is computed now. */
const unary = (name: keyof typeof unaryRules) => {
  const f = N[name]
  const { d } = R[name]
  const where = `Reverse mode, ${name}`
  const op = (x: TapeVar): TapeVar => {
    if (!(x instanceof TapeVar && x.t === tag)) return op(lift(where, x))
    const xv = x.v
    const y = f(xv)
    const z = node(UNARY, y, x.i, 0)
    da[off - 1] = d(N, xv, y)
    return z
  }
  return op
}

/** A two-argument primitive's node, from its rule: both local partials are computed now. */
const binary = (name: keyof typeof binaryRules) => {
  const f = N[name]
  const { dx, dy } = B[name]
  const where = `Reverse mode, ${name}`
  const op = (x: TapeVar, y: TapeVar): TapeVar => {
    if (!(x instanceof TapeVar && y instanceof TapeVar && x.t === tag && y.t === tag)) return op(lift(where, x), lift(where, y))
    const xv = x.v
    const yv = y.v
    const z = f(xv, yv)
    const out = node(BINARY, z, x.i, y.i)
    da[off - 1] = dx(N, xv, yv, z)
    db[off - 1] = dy(N, xv, yv, z)
    return out
  }
  return op
}

/** An arithmetic node: `k` of kind ADD, SUB or MUL, its value from `f`. */
const arithmetic = (name: string, k: number, f: (a: number, b: number) => number) => {
  const where = `Reverse mode, ${name}`
  const op = (x: TapeVar, y: TapeVar): TapeVar =>
    x instanceof TapeVar && y instanceof TapeVar && x.t === tag && y.t === tag ? node(k, f(x.v, y.v), x.i, y.i) : op(lift(where, x), lift(where, y))
  return op
}

const neg = (x: TapeVar): TapeVar => (x instanceof TapeVar && x.t === tag ? node(NEG, -x.v, x.i, 0) : neg(lift('Reverse mode, neg', x)))

/**
 * `Floating` on the tape in progress. Each primitive is its own function (so that the JIT sees
 * one target per call site) and takes its partials from its rule in `Rule`. Constants are plain
 * numbers (`of` is the identity on them), made nodes when an operation meets them.
 */
const flat: Floating<TapeVar> = {
  zero: 0 as unknown as TapeVar,
  one: 1 as unknown as TapeVar,
  degree: () => 1,
  of: (n) => n as unknown as TapeVar,
  primal: (x) => (x instanceof TapeVar ? x.v : typeof x === 'number' ? x : lift('Reverse mode, primal', x).v),
  add: arithmetic('add', ADD, (a, b) => a + b),
  sub: arithmetic('sub', SUB, (a, b) => a - b),
  mul: arithmetic('mul', MUL, (a, b) => a * b),
  neg,
  ...elementaryOps(unary, binary),
}

/** The flat instance, as the `Floating` of the public variables. */
export const F = flat as unknown as Floating<Var>

/**
 * The cotangent of every node up to the last output of the tape `tape`, by one backward loop,
 * seeded with `seeds[i]` at `outs[i]` (outputs may repeat, their seeds add up). Each node sends
 * its cotangent to its parents by its rule; a zero cotangent is skipped, so it contributes exactly
 * zero even through an infinite partial.
 */
export const sweep = (tape: readonly Chunk[], outs: readonly number[], seeds: readonly number[]): Float64Array => {
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

/**
 * Run `body` on a fresh tape of a new call holding the constants 0 and 1 and the inputs `xs`
 * (which must be numbers: a variable of an enclosing call restarts the call nested), then end
 * the call and restore the tape of any enclosing one, however `body` ends. `body` receives the
 * inputs and the tape's chunks; unless `keep` is set (a pullback will sweep the tape later), their
 * memory goes back to the pool.
 */
export const withTape = <R>(
  xs: readonly number[],
  body: (vars: TapeVar[], tape: readonly Chunk[]) => R,
  keep = false,
): R => {
  const saved = { tag, chunks, base, off, val, kind, pa, pb, da, db, zeroVar, oneVar }
  tag = enter(flat as Floating<unknown>)
  chunks = []
  base = -SIZE
  off = SIZE
  try {
    zeroVar = node(CONST, 0, 0, 0)
    oneVar = node(CONST, 1, 0, 0)
    const vars = xs.map((x, i) => (typeof x === 'number' ? node(CONST, x, 0, 0) : lift(`Reverse mode, input ${i}`, x)))
    return body(vars, chunks)
  } finally {
    leave()
    if (!keep) for (const c of chunks) if (pool.length < POOL_MAX) pool.push(c)
    ;({ tag, chunks, base, off, val, kind, pa, pb, da, db, zeroVar, oneVar } = saved)
  }
}

/**
 * The node of a function's result on the tape in progress, or `undefined` for a number (a
 * constant: zero gradient). Anything else is refused, naming `where` and what came back.
 */
export const resultNode = (where: string, y: unknown): number | undefined => (typeof y === 'number' ? undefined : lift(where, y).i)
