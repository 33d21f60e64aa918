/**
 * The primitives of the tensor algebra, each declared once: its plain value (the kernels), its
 * JVP and its pullback written against any algebra (so that they nest), and its batch rule.
 * Elementwise and broadcasting primitives here; structural ones in `structure.ts`.
 *
 * @packageDocumentation
 */
import { ShapeError } from '../ShapeError.js'
import type { Shape, Tensor } from '../Tensor.js'
import { wrap } from '../Tensor.js'
import type { BinaryRow } from '../kernels/binary.js'
import { binaryBroadcast, maxRow, minRow, powRow, selectK } from '../kernels/binary.js'
import { absK, expK, log1pK, logK, mapUnary, negK, scaleK, sqrtK } from '../kernels/unary.js'
import { sigmoidKernels } from '../activation/logistic.js'
import { relu as reluActivation, reluKernels } from '../activation/piecewise.js'
import type { ArrayKernels, Kink } from '../activation/pointwise.js'
import { tanhKernels } from '../activation/tanh.js'
import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js'
import { checkSize } from '../kernels/alloc.js'
import { broadcastShapes, shapeEquals, shapeSize, showShape, strides } from '../kernels/shape.js'
import { transpose2d } from '../kernels/transpose.js'
import type { Convention } from '../ops/convention.js'
import { minus, over, plus, times } from '../ops/tensorMath.js'
import { uniform, uniformValue } from '../ops/uniform.js'
import { alignBatched } from './batching.js'
import { plainMask, unbatchMask } from './data.js'
import type { Algebra, Fused, Mask, Prim } from './types.js'

type Kernel = (x: Float64Array) => Float64Array

/** The sum of the defined tangent contributions, at the output's shape. */
export const sumTangents = <T>(A: Algebra<T>, out: T, parts: readonly (T | undefined)[]): T => {
  let s: T | undefined
  for (const p of parts) if (p !== undefined) s = s === undefined ? p : A.add(s, p)
  const shape = A.shape(out)
  return shapeEquals(A.shape(s!), shape) ? s! : A.broadcastTo(s!, shape)
}

/** A primitive whose batch rule is itself after lining the arguments up (elementwise ones). */
const pointwiseBatch = <P>(self: () => Prim<P>) =>
  <T>(A: Algebra<T>, args: readonly T[], batched: readonly boolean[], params: P): T =>
    A.bind(self(), alignBatched(A, args, batched), params)

/**
 * An elementwise primitive from a kernel and its local derivative written against the algebra:
 * the JVP is `dx f'(x)`, the pullback `g f'(x)`; optionally its conventions and a fused kernel of
 * the rules on plain tensors.
 */
export const pointwise = (
  name: string,
  kernel: Kernel,
  d: <T>(A: Algebra<T>, x: T, y: T) => T,
  extra: { readonly conventions?: readonly Convention[]; readonly fused?: Fused<undefined> } = {},
): Prim<undefined> => {
  const self: Prim<undefined> = {
    name,
    value: ([x]) => wrap(x!.shape, kernel(x!.data as Float64Array)),
    jvp: (A, [x], y, [dx]) => A.mul(dx!, d(A, x!, y)),
    vjp: (A, [x], y, g) => [A.mul(g, d(A, x!, y))],
    batch: pointwiseBatch(() => self),
    ...extra,
  }
  return self
}

/**
 * The fused rules of an activation from the `Activation` module's kernels: `t f'(x)` in one pass
 * (Wasm where the backend offers it), a uniform (co)tangent, as a full sum sends back, read as its
 * one value.
 */
const fusedActivation = (k: ArrayKernels): Fused<undefined> => {
  const apply = (x: Tensor, t: Tensor): Tensor => wrap(x.shape, k.times(x.data, undefined, uniformValue(t) ?? t.data))
  const vjpOf = (x: Tensor): readonly [Tensor, (g: Tensor) => Tensor] => {
    const [y, pb] = k.vjp(x.data)
    return [wrap(x.shape, y), (g) => wrap(x.shape, pb(uniformValue(g) ?? g.data))]
  }
  return { jvp: ([x], _y, [dx]) => apply(x!, dx!), vjp: ([x], _y, g) => [apply(x!, g)], vjpOf }
}

/** An activation's kinks (the `Activation` module's, declared there once) as conventions. */
const kinkConventions = (kinks: readonly Kink[]): readonly Convention[] =>
  kinks.map((k) => ({ at: `x = ${k.at}`, rule: `${k.derivative} (${k.rule})`, points: [{ x: k.at, derivative: k.derivative }] }))

/** The fused rules of a linear elementwise map `t => c t`: a uniform (co)tangent stays uniform. */
const fusedLinear = <P>(c: (p: P) => number): Fused<P> => {
  const apply = (t: Tensor, p: P): Tensor => {
    const u = uniformValue(t)
    return u !== undefined ? uniform(t.shape, c(p) * u) : wrap(t.shape, c(p) === -1 ? negK(t.data) : scaleK(t.data, c(p)))
  }
  return { jvp: (_x, _y, [dx], p) => apply(dx!, p), vjp: (_x, _y, g, p) => [apply(g, p)] }
}

const zero = <T>(A: Algebra<T>): T => A.constant(0)
/** sech^2 x = 4 e / (1 + e)^2 with e = exp(-2|x|): accurate in the tails, where 1 - tanh^2 is 0. */
const sech2 = <T>(A: Algebra<T>, x: T): T => {
  const e = A.exp(A.scale(A.abs(x), -2))
  const s = A.add(A.constant(1), e)
  return A.div(A.scale(e, 4), A.mul(s, s))
}

/** `-x`: linear, so its rules are itself. */
const neg: Prim<undefined> = {
  name: 'neg',
  value: ([x]) => wrap(x!.shape, negK(x!.data)),
  jvp: (A, _x, _y, [dx]) => A.neg(dx!),
  vjp: (A, _x, _y, g) => [A.neg(g)],
  batch: pointwiseBatch(() => neg),
  fused: fusedLinear(() => -1),
}

/** `c x` for a number `c`: linear. */
const scale: Prim<number> = {
  name: 'scale',
  value: ([x], c) => wrap(x!.shape, scaleK(x!.data, c)),
  jvp: (A, _x, _y, [dx], c) => A.scale(dx!, c),
  vjp: (A, _x, _y, g, c) => [A.scale(g, c)],
  batch: pointwiseBatch(() => scale),
  fused: fusedLinear((c) => c),
}

/** `t` where `x > 0`, 0 where `x <= 0`, NaN where `x` is NaN: selection, so `t` is never multiplied by a mask. */
const reluSelect = <T>(A: Algebra<T>, x: T, t: T): T =>
  A.where(A.gt(x, zero(A)), t, A.where(A.compare('ne', x, x), A.constant(NaN), zero(A)))

/**
 * `max(x, 0)`; its rules select the (co)tangent where `x > 0`. Its kernels (value, fused rules)
 * and its kink's convention are `Activation.relu`'s.
 */
const relu: Prim<undefined> = {
  name: 'relu',
  value: ([x]) => wrap(x!.shape, reluKernels.value(x!.data)),
  jvp: (A, [x], _y, [dx]) => reluSelect(A, x!, dx!),
  vjp: (A, [x], _y, g) => [reluSelect(A, x!, g)],
  batch: pointwiseBatch(() => relu),
  conventions: kinkConventions(reluActivation.kinks),
  fused: fusedActivation(reluKernels),
}

/** A pole at `x = at` where the derivative is `+Infinity`, the one-sided limit. */
const pole = (at: number): readonly Convention[] => [
  { at: `x = ${at}`, rule: '+Infinity, the one-sided limit', points: [{ x: at, derivative: Infinity }] },
]

/** The elementwise functions of one argument, each with its local derivative. */
export const unaryPrims = {
  neg,
  scale,
  exp: pointwise('exp', expK, (_A, _x, y) => y),
  log: pointwise('log', logK, (A, x) => A.div(A.constant(1), x), { conventions: pole(0) }),
  log1p: pointwise('log1p', log1pK, (A, x) => A.div(A.constant(1), A.add(A.constant(1), x)), { conventions: pole(-1) }),
  sqrt: pointwise('sqrt', sqrtK, (A, _x, y) => A.div(A.constant(0.5), y), { conventions: pole(0) }),
  // sign(x) as a constant, from masks so that it batches; NaN stays NaN
  abs: pointwise(
    'abs',
    absK,
    (A, x) => A.where(A.gt(x, zero(A)), A.constant(1), A.where(A.lt(x, zero(A)), A.constant(-1), A.where(A.compare('ne', x, x), A.constant(NaN), zero(A)))),
    { conventions: [{ at: 'x = 0', rule: '0, a local minimum', points: [{ x: 0, derivative: 0 }] }] },
  ),
  sin: pointwise('sin', (x) => mapUnary(x, Math.sin), (A, x) => A.cos(x)),
  cos: pointwise('cos', (x) => mapUnary(x, Math.cos), (A, x) => A.neg(A.sin(x))),
  // tanh and sigmoid: the value and fused kernels are the Activation module's, the rules here
  tanh: pointwise('tanh', tanhKernels.value, (A, x) => sech2(A, x), { fused: fusedActivation(tanhKernels) }),
  // sigma(x) sigma(-x): accurate in both tails, where y (1 - y) loses the small factor
  sigmoid: pointwise('sigmoid', sigmoidKernels.value, (A, x, y) => A.mul(y, A.sigmoid(A.neg(x))), { fused: fusedActivation(sigmoidKernels) }),
  relu,
} as const

/** A broadcasting primitive of two arguments, from its value and each argument's pullback. */
const broadcasting = (
  name: string,
  value: (a: Tensor, b: Tensor) => Tensor,
  jvp: <T>(A: Algebra<T>, a: T, b: T, out: T, da: T | undefined, db: T | undefined) => T,
  vjps: readonly [<T>(A: Algebra<T>, a: T, b: T, out: T, g: T) => T, <T>(A: Algebra<T>, a: T, b: T, out: T, g: T) => T],
  conventions?: readonly Convention[],
): Prim<undefined> => {
  const self: Prim<undefined> = {
    name,
    value: ([a, b]) => value(a!, b!),
    jvp: (A, [a, b], out, [da, db]) => jvp(A, a!, b!, out, da, db),
    vjp: (A, [a, b], out, g, _p, wanted) =>
      vjps.map((rule, i) => (wanted[i] ? A.sumTo(rule(A, a!, b!, out, g), A.shape(i === 0 ? a! : b!)) : undefined)),
    batch: pointwiseBatch(() => self),
    ...(conventions === undefined ? {} : { conventions }),
  }
  return self
}

/**
 * A broadcasting primitive of two arguments whose rules are its two local partial derivatives
 * `∂a` and `∂b` (written against the algebra): the JVP is `da ∂a + db ∂b`, the pullbacks `g ∂a`
 * and `g ∂b`.
 */
const byPartials = (
  name: string,
  row: BinaryRow,
  partials: readonly [<T>(A: Algebra<T>, a: T, b: T, out: T) => T, <T>(A: Algebra<T>, a: T, b: T, out: T) => T],
  conventions: readonly Convention[],
): Prim<undefined> => {
  const [pa, pb] = partials
  return broadcasting(
    name,
    (a, b) => {
      const [s, d] = binaryBroadcast(name, row, a.data, a.shape, b.data, b.shape)
      return wrap(s, d)
    },
    (A, a, b, out, da, db) => sumTangents(A, out, [da === undefined ? undefined : A.mul(da, pa(A, a, b, out)), db === undefined ? undefined : A.mul(db, pb(A, a, b, out))]),
    [(A, a, b, out, g) => A.mul(g, pa(A, a, b, out)), (A, a, b, out, g) => A.mul(g, pb(A, a, b, out))],
    conventions,
  )
}

/** `+`, `-`, `*`, `/` with NumPy broadcasting; each pullback summed back to its argument's shape. */
export const binaryPrims = {
  add: broadcasting('add', plus, (A, _a, _b, out, da, db) => sumTangents(A, out, [da, db]), [(_A, _a, _b, _o, g) => g, (_A, _a, _b, _o, g) => g]),
  sub: broadcasting('sub', minus, (A, _a, _b, out, da, db) => sumTangents(A, out, [da, db === undefined ? undefined : A.neg(db)]), [
    (_A, _a, _b, _o, g) => g,
    (A, _a, _b, _o, g) => A.neg(g),
  ]),
  mul: broadcasting(
    'mul',
    times,
    (A, a, b, out, da, db) => sumTangents(A, out, [da === undefined ? undefined : A.mul(da, b), db === undefined ? undefined : A.mul(a, db)]),
    [(A, _a, b, _o, g) => A.mul(g, b), (A, a, _b, _o, g) => A.mul(g, a)],
  ),
  div: broadcasting(
    'div',
    over,
    (A, _a, b, out, da, db) =>
      sumTangents(A, out, [da === undefined ? undefined : A.div(da, b), db === undefined ? undefined : A.neg(A.div(A.mul(out, db), b))]),
    [(A, _a, b, _o, g) => A.div(g, b), (A, _a, b, out, g) => A.neg(A.div(A.mul(g, out), b))],
  ),
} as const

/**
 * The share of the cotangent of `maximum(a, b)` (`wins` = 'gt') or `minimum(a, b)` ('lt') that
 * goes to `a`: 1 where `a` wins, 0 where `b` does, 1/2 at a tie; a NaN operand is the one
 * selected (1/2 each if both are NaN). By selection, so that it batches and nests.
 */
const share = <T>(A: Algebra<T>, wins: 'gt' | 'lt', a: T, b: T): T => {
  const half = A.constant(0.5)
  const nanA = A.where(A.compare('ne', b, b), half, A.constant(1))
  return A.where(A.compare(wins, a, b), A.constant(1), A.where(A.compare('eq', a, b), half, A.where(A.compare('ne', a, a), nanA, zero(A))))
}

/** The conventions of `maximum` and `minimum`, declared once. */
const extremumConventions: readonly Convention[] = [
  { at: 'a = b', rule: 'the cotangent is split half and half between a and b' },
  { at: 'a or b is NaN', rule: 'the NaN operand gets the whole cotangent (half each if both are NaN)' },
]

/** The constant `c` where the mask holds, `x` elsewhere. */
const unless = <T>(A: Algebra<T>, m: Mask, c: number, x: T): T => A.where(m, A.constant(c), x)

/**
 * `a ** b` elementwise (`Math.pow`): `∂a = b a^(b-1)`, taken as 0 where `b = 0` (so `x^0` has
 * derivative 0 even at `x = 0`); `∂b = a^b log a`, taken as 0 where `a <= 0`. The arguments of
 * the branch not taken are made safe (`b = 1`, `a = 1` there), so no NaN reaches a nested
 * derivative through it.
 */
const pow: Prim<undefined> = byPartials(
  'pow',
  powRow,
  [
    (A, a, b) => {
      const b0 = A.compare('eq', b, zero(A))
      const bs = unless(A, b0, 1, b)
      return unless(A, b0, 0, A.mul(bs, A.bind(pow, [a, A.sub(bs, A.constant(1))], undefined)))
    },
    (A, a, _b, out) => {
      const positive = A.compare('gt', a, zero(A))
      return A.where(positive, A.mul(out, A.log(A.where(positive, a, A.constant(1)))), zero(A))
    },
  ],
  [
    { at: 'a <= 0', rule: 'the derivative in b is 0 (a^b is not differentiable in b there)' },
    { at: 'b = 0', rule: 'the derivative in a is 0, also at a = 0' },
  ],
)

/** Elementwise power, maximum and minimum, broadcasting; their kinks' conventions declared as data. */
export const extraBinaryPrims = {
  pow,
  maximum: byPartials('maximum', maxRow, [(A, a, b) => share(A, 'gt', a, b), (A, a, b) => share(A, 'gt', b, a)], extremumConventions),
  minimum: byPartials('minimum', minRow, [(A, a, b) => share(A, 'lt', a, b), (A, a, b) => share(A, 'lt', b, a)], extremumConventions),
} as const

/** `mask ? a : b`, broadcasting; the mask is a constant, so only `a` and `b` have derivatives. */
export const where: Prim<Mask> = {
  name: 'where',
  value: ([a, b], m) => {
    const mv = plainMask('where', m)
    const [s, d] = selectK(mv.data, mv.shape, a!.data, a!.shape, b!.data, b!.shape)
    return wrap(s, d)
  },
  jvp: (A, [a, b], out, [da, db], m) => {
    const z = zero(A)
    return sumTangents(A, out, [A.where(m, da ?? z, db ?? z)])
  },
  vjp: (A, [a, b], _out, g, m, wanted) => {
    const z = zero(A)
    return [wanted[0] ? A.sumTo(A.where(m, g, z), A.shape(a!)) : undefined, wanted[1] ? A.sumTo(A.where(m, z, g), A.shape(b!)) : undefined]
  },
  conventions: [
    { at: 'the branch not taken', rule: 'receives exactly 0, by selection, even where its value or cotangent is NaN or infinite' },
    { at: 'cond is NaN', rule: 'counts as true (non-zero)' },
  ],
  batch: (A, args, batched, m, maskBatched) => {
    const rank = Math.max(m.value.shape.length - m.batchTags.length, ...args.map((x, i) => A.shape(x).length - (batched[i] ? 1 : 0)))
    return A.bind(where, alignBatched(A, args, batched, rank), maskBatched ? unbatchMask(m, rank) : m)
  },
}

// ---------------------------------------------------------------------------------------------
// matmul: op(A) op(B) with op a transpose where the flag says, batch axes broadcast

/** Which argument of a matrix product is read transposed. */
export interface MatmulFlags {
  /** Read the first argument transposed (its last two axes). */
  readonly ta: boolean
  /** Read the second argument transposed. */
  readonly tb: boolean
}

const mm2 = (a: Float64Array, b: Float64Array, m: number, k: number, n: number, { ta, tb }: MatmulFlags): Float64Array =>
  ta && tb ? transpose2d(matmulNN(b, a, n, k, m), n, m) : ta ? matmulTN(a, b, m, k, n) : tb ? matmulNT(a, b, m, k, n) : matmulNN(a, b, m, k, n)

const matmulValue = (a: Tensor, b: Tensor, f: MatmulFlags): Tensor => {
  const ra = a.shape.length
  const rb = b.shape.length
  const fail = (): never => {
    throw new ShapeError('matmul', `[..., m, k] and [..., k, n] with equal inner extents and broadcasting batch axes${f.ta || f.tb ? ` (transposed: ${f.ta}, ${f.tb})` : ''}`, [a.shape, b.shape])
  }
  if (ra < 2 || rb < 2) fail()
  const [m, ka] = f.ta ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!]
  const [kb, n] = f.tb ? [b.shape[rb - 1]!, b.shape[rb - 2]!] : [b.shape[rb - 2]!, b.shape[rb - 1]!]
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2))
  if (ka !== kb || batch === undefined) return fail()
  checkSize('matmul', [...batch, m, n], [a.shape, b.shape])
  const k = ka
  const A = a.data as Float64Array
  const B = b.data as Float64Array
  if (batch.length === 0) return wrap([m, n], mm2(A, B, m, k, n, f))
  const count = shapeSize(batch)
  const out = new Float64Array(count * m * n)
  const aStr = batchStrides(a.shape.slice(0, -2), batch)
  const bStr = batchStrides(b.shape.slice(0, -2), batch)
  const bs = strides(batch)
  for (let i = 0; i < count; i++) {
    let ia = 0
    let ib = 0
    for (let d = 0, r = i; d < batch.length; d++) {
      const q = Math.floor(r / bs[d]!)
      r -= q * bs[d]!
      ia += q * aStr[d]!
      ib += q * bStr[d]!
    }
    out.set(mm2(A.subarray(ia * m * k, (ia + 1) * m * k), B.subarray(ib * k * n, (ib + 1) * k * n), m, k, n, f), i * m * n)
  }
  return wrap([...batch, m, n], out)
}

/** Strides (in matrices) of batch axes `from` read as the broadcast batch shape `to`. */
const batchStrides = (from: Shape, to: Shape): number[] => {
  const s = strides(from)
  return to.map((_, d) => {
    const j = d - (to.length - from.length)
    return j < 0 || from[j] === 1 ? 0 : s[j]!
  })
}

/**
 * The matrix product `op(A) op(B)` on the last two axes, the leading (batch) axes broadcast; the
 * flags read an argument transposed, so that the pullbacks (`g Bᵀ`, `Aᵀ g`) use the transposed
 * kernels instead of copying a transpose.
 */
export const matmul: Prim<MatmulFlags> = {
  name: 'matmul',
  value: ([a, b], f) => matmulValue(a!, b!, f),
  jvp: (A, [a, b], out, [da, db], f) =>
    sumTangents(A, out, [da === undefined ? undefined : A.bind(matmul, [da, b!], f), db === undefined ? undefined : A.bind(matmul, [a!, db], f)]),
  vjp: (A, [a, b], _out, g, { ta, tb }, wanted) => [
    wanted[0] ? A.sumTo(ta ? A.bind(matmul, [b!, g], { ta: tb, tb: true }) : A.bind(matmul, [g, b!], { ta: false, tb: !tb }), A.shape(a!)) : undefined,
    wanted[1] ? A.sumTo(tb ? A.bind(matmul, [g, a!], { ta: true, tb: ta }) : A.bind(matmul, [a!, g], { ta: !ta, tb: false }), A.shape(b!)) : undefined,
  ],
  batch: (A, args, batched, f) => A.bind(matmul, alignBatched(A, args, batched, 2), f),
}

/** The shapes a broadcasting op was given, for its error message. */
export const describeShapes = (shapes: readonly Shape[]): string => shapes.map(showShape).join(' and ')
