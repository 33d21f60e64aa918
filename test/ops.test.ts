/**
 * Every primitive through the laws: finite differences against the JVP, the dot-product test
 * <jvp(x, t), c> = <t, vjp(x)(c)>, cotangent shapes, linearity of the pullback, no mutation of
 * any input, tangent or cotangent, and a second call giving the same answer. One row per
 * primitive.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Shape, Tensor } from '../src/Tensor.js'
import { scalar } from '../src/Tensor.js'
import { shapeEquals } from '../src/kernels/shape.js'
import {
  abs, add, bindLeft, bindRight, broadcastTo, concat, div, dot, elementwise, exp, index, log, log1p, logSumExp,
  matmul, maximum, mean, minimum, mul, neg, pow, relu, reshape, scale, sigmoid, slice, sqrt, square, sub, sum,
  transpose, where,
} from '../src/ops/index.js'
import type { AnyDiff, Arg } from './fixtures/ops.kit.js'
import {
  awayFromZero, axpy, broadcastPair, inner, leaves, randomLike, randomTensor, shapeArb, snapshot, tensorOf,
} from './fixtures/ops.kit.js'
import { scalarPoint } from '../laws/arbitraries.js'

interface Case {
  readonly name: string
  readonly gen: fc.Arbitrary<readonly [AnyDiff, Arg]>
}

const as = (d: unknown): AnyDiff => d as AnyDiff
const pair = (a: fc.Arbitrary<Tensor>, b: fc.Arbitrary<Tensor>) => fc.tuple(a, b).map(([x, y]) => [x, y] as const)
const binaryCase = (name: string, op: unknown, a: (s: Shape) => fc.Arbitrary<Tensor>, b: (s: Shape) => fc.Arbitrary<Tensor>): Case => ({
  name,
  gen: broadcastPair.chain(([sa, sb]) => pair(a(sa), b(sb))).map((x) => [as(op), x] as const),
})
const unaryCase = (name: string, op: unknown, x: (s: Shape) => fc.Arbitrary<Tensor>): Case => ({
  name,
  gen: shapeArb().chain(x).map((t) => [as(op), t] as const),
})
const any = (s: Shape) => tensorOf(s)
/** Values at least 0.1 from the other operand's values: integers + [0.05, 0.45] vs integers + [0.55, 0.95]. */
const lowHalf = (s: Shape) => fc.tuple(tensorOf(s, -2, 2)).map(([t]) => t).map((t) => fracIn(t, 0.05))
const highHalf = (s: Shape) => fc.tuple(tensorOf(s, -2, 2)).map(([t]) => t).map((t) => fracIn(t, 0.55))
const fracIn = (t: Tensor, lo: number): Tensor => {
  const d = Float64Array.from(t.data as ArrayLike<number>, (v) => Math.floor(v) + lo + 0.4 * (v - Math.floor(v)))
  return { shape: t.shape, data: d }
}

const withAxis = <T>(f: (s: Shape, axis: number) => fc.Arbitrary<T>) =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((s) =>
    fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => f(s, axis)))

const softplus = elementwise('softplus', (F) => (x) => F.log1p(F.exp(x)))
const softplusClosed = elementwise('softplus', (F) => (x) => F.log1p(F.exp(x)), { derivative: (x) => 1 / (1 + Math.exp(-x)) })

const cases: readonly Case[] = [
  binaryCase('add', add, any, any),
  binaryCase('sub', sub, any, any),
  binaryCase('mul', mul, any, any),
  binaryCase('div', div, any, (s) => awayFromZero(s, 0.5)),
  binaryCase('pow', pow, (s) => tensorOf(s, 0.5, 2), (s) => tensorOf(s, -2, 2)),
  binaryCase('maximum', maximum, lowHalf, highHalf),
  binaryCase('maximum (swapped)', maximum, highHalf, lowHalf),
  binaryCase('minimum', minimum, lowHalf, highHalf),
  {
    name: 'matmul',
    gen: fc
      .tuple(fc.integer({ min: 1, max: 18 }), fc.integer({ min: 1, max: 18 }), fc.integer({ min: 1, max: 18 }))
      .chain(([m, k, n]) => pair(tensorOf([m, k]), tensorOf([k, n])))
      .map((x) => [as(matmul), x] as const),
  },
  { name: 'dot', gen: fc.integer({ min: 0, max: 6 }).chain((n) => pair(tensorOf([n]), tensorOf([n]))).map((x) => [as(dot), x] as const) },
  unaryCase('neg', neg, any),
  { name: 'scale', gen: fc.tuple(scalarPoint({ min: -3, max: 3 }), shapeArb().chain(any)).map(([c, x]) => [as(scale(c)), x] as const) },
  unaryCase('exp', exp, any),
  unaryCase('log', log, (s) => tensorOf(s, 0.1, 3)),
  unaryCase('log1p', log1p, (s) => tensorOf(s, -0.9, 3)),
  unaryCase('sqrt', sqrt, (s) => tensorOf(s, 0.1, 3)),
  unaryCase('square', square, any),
  unaryCase('abs', abs, (s) => awayFromZero(s)),
  unaryCase('sigmoid', sigmoid, (s) => tensorOf(s, -6, 6)),
  unaryCase('relu', relu, (s) => awayFromZero(s)),
  { name: 'sum (all)', gen: fc.tuple(fc.boolean(), shapeArb().chain(any)).map(([k, x]) => [as(sum({ keepdims: k })), x] as const) },
  { name: 'sum (axis)', gen: withAxis((s, axis) => fc.tuple(fc.boolean(), any(s)).map(([k, x]) => [as(sum({ axis, keepdims: k })), x] as const)) },
  { name: 'mean (all)', gen: shapeArb().chain(any).map((x) => [as(mean()), x] as const) },
  { name: 'mean (axis)', gen: withAxis((s, axis) => fc.tuple(fc.boolean(), any(s)).map(([k, x]) => [as(mean({ axis, keepdims: k })), x] as const)) },
  { name: 'logSumExp (all)', gen: shapeArb().chain((s) => tensorOf(s, -5, 5)).map((x) => [as(logSumExp()), x] as const) },
  {
    name: 'logSumExp (axis)',
    gen: withAxis((s, axis) => fc.tuple(fc.boolean(), tensorOf(s, -5, 5)).map(([k, x]) => [as(logSumExp({ axis, keepdims: k })), x] as const)),
  },
  {
    name: 'reshape',
    gen: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }))
      .chain(([a, b, c]) => fc.tuple(any([a, b * c]), fc.constantFrom<Shape>([a * b * c], [b, -1], [c, a, b], [-1, 1])))
      .map(([x, s]) => [as(reshape(s)), x] as const),
  },
  {
    name: 'transpose',
    gen: shapeArb(4).chain((s) =>
      fc.tuple(any(s), fc.option(fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }), { nil: undefined })))
      .map(([x, p]) => [as(transpose(p)), x] as const),
  },
  {
    name: 'broadcastTo',
    gen: broadcastPair.chain(([a, b]) => {
      const to = a.length >= b.length ? a.map((d, i) => Math.max(d, b[i - (a.length - b.length)] ?? 1)) : b.map((d, i) => Math.max(d, a[i - (b.length - a.length)] ?? 1))
      return any(a).map((x) => [as(broadcastTo(to)), x] as const)
    }),
  },
  {
    name: 'concat (axis)',
    gen: withAxis((s, axis) =>
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }).chain((ns) =>
        fc.tuple(...ns.map((n) => any(s.map((d, i) => (i === (axis < 0 ? axis + s.length : axis) ? n : d))))))
        .map((xs) => [as(concat({ axis })), xs] as const)),
  },
  {
    name: 'slice',
    gen: withAxis((s, axis) => {
      const n = s[axis < 0 ? axis + s.length : axis]!
      return fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), any(s)).map(([p, q, x]) =>
        [as(slice({ axis, start: Math.min(p, q), end: Math.max(p, q) })), x] as const)
    }),
  },
  {
    name: 'index',
    gen: withAxis((s, axis) => {
      const n = s[axis < 0 ? axis + s.length : axis]!
      return fc.tuple(fc.integer({ min: -n, max: n - 1 }), any(s)).map(([at, x]) => [as(index({ axis, at })), x] as const)
    }),
  },
  {
    name: 'where',
    // the condition has the trailing axes of the longer operand, each kept or set to 1
    gen: broadcastPair.chain(([a, b]) => {
      const longer = a.length >= b.length ? a : b
      return fc.tuple(fc.array(fc.boolean(), { minLength: longer.length, maxLength: longer.length }), fc.nat(), pair(any(a), any(b)))
        .map(([keep, seed, xy]) => [as(where(randomTensor(longer.map((d, i) => (keep[i] ? d : 1)), seed + 1))), xy] as const)
    }),
  },
  unaryCase('elementwise softplus (dual numbers)', softplus, any),
  unaryCase('elementwise softplus (closed form)', softplusClosed, any),
  {
    name: 'bindLeft(matmul, x)',
    gen: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .chain(([m, k, n]) => pair(tensorOf([m, k]), tensorOf([k, n])))
      .map(([x, w]) => [as(bindLeft(matmul, x)), w] as const),
  },
  unaryCase('bindRight(pow, 3)', bindRight(pow, scalar(3)), any),
  unaryCase('bindRight(sub, [1, 1, 1]) broadcasting', bindRight(sub, scalar(1)), any),
]

const H = 1e-5
const TOL = 1e-6

const close = (got: number, want: number) => Math.abs(got - want) <= TOL * (1 + Math.abs(want))

describe.each(cases)('$name', ({ gen }) => {
  it('JVP agrees with central finite differences in a random direction', () => {
    fc.assert(
      fc.property(gen, fc.integer(), ([op, x], seed) => {
        const t = randomLike(x, seed)
        const [y, dy] = op.jvp(x, t)
        expect(shapeEquals(dy.shape, y.shape)).toBe(true)
        const yp = op.apply(axpy(x, H, t))
        const ym = op.apply(axpy(x, -H, t))
        for (let i = 0; i < dy.data.length; i++) {
          const fd = (yp.data[i]! - ym.data[i]!) / (2 * H)
          if (!close(dy.data[i]!, fd)) expect.fail(`element ${i}: jvp ${dy.data[i]} vs finite difference ${fd}`)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('dot-product test: <jvp(x, t), c> = <t, vjp(x)(c)>, cotangents shaped like the inputs', () => {
    fc.assert(
      fc.property(gen, fc.integer(), ([op, x], seed) => {
        const t = randomLike(x, seed)
        const [y, dy] = op.jvp(x, t)
        const [y2, back] = op.vjp(x)
        expect(Array.from(y2.data)).toEqual(Array.from(y.data))
        expect(Array.from(op.apply(x).data)).toEqual(Array.from(y.data))
        const c = randomTensor(y.shape, seed ^ 0x5bd1e995)
        const g = back(c)
        leaves(g).forEach((gi, i) => expect(gi.shape).toEqual(leaves(x)[i]!.shape))
        const lhs = inner(dy, c)
        const rhs = inner(t, g)
        if (!close(lhs, rhs)) expect.fail(`<jvp, c> = ${lhs} but <t, vjp(c)> = ${rhs}`)
      }),
      { numRuns: 100 },
    )
  })

  it('the pullback is linear: zero to zero, and p(a c1 + c2) = a p(c1) + p(c2)', () => {
    fc.assert(
      fc.property(gen, fc.integer(), scalarPoint({ min: -3, max: 3 }), ([op, x], seed, a) => {
        const [y, back] = op.vjp(x)
        const zero = back({ shape: y.shape, data: new Float64Array(y.data.length) })
        for (const z of leaves(zero)) for (const v of z.data) expect(v === 0).toBe(true)
        const c1 = randomTensor(y.shape, seed)
        const c2 = randomTensor(y.shape, seed + 1)
        const lhs = back(axpy(c2, a, c1) as Tensor)
        const rhs = axpy(back(c2), a, back(c1))
        leaves(lhs).forEach((l, i) => {
          const r = leaves(rhs)[i]!
          for (let j = 0; j < l.data.length; j++) if (!close(l.data[j]!, r.data[j]!)) expect.fail(`${l.data[j]} vs ${r.data[j]}`)
        })
      }),
      { numRuns: 50 },
    )
  })

  it('never writes into its inputs, tangents or cotangents, and gives the same answer twice', () => {
    fc.assert(
      fc.property(gen, fc.integer(), ([op, x], seed) => {
        const t = randomLike(x, seed)
        const before = snapshot(x, t)
        const y = op.apply(x)
        const [, dy] = op.jvp(x, t)
        const [y2, back] = op.vjp(x)
        const c = randomTensor(y.shape, seed)
        const after = snapshot(y, dy, y2, c)
        const g1 = back(c)
        const g2 = back(c)
        before.check()
        after.check()
        leaves(g1).forEach((a, i) => expect(Array.from(a.data)).toEqual(Array.from(leaves(g2)[i]!.data)))
        expect(Array.from(op.apply(x).data)).toEqual(Array.from(y.data))
      }),
      { numRuns: 50 },
    )
  })
})
