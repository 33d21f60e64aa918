/**
 * Every tensor primitive of src/ops through every law of the law kit: the laws of one Diff
 * (consistency, dot-product test, finite differences in both modes, linearity), the chain rule
 * (with `sum` after it) and the category laws (with `neg` and `sum`). One row per primitive; a
 * new primitive is one new row. The add and mul nodes also get their backward-rule laws.
 */
import fc from 'fast-check'
import type { Arbitrary } from 'fast-check'
import { describe, it } from 'vitest'
import { broadcastPair, matmulPair, sameShapePair, scalarValue, tensor, tensorOf } from '../laws/arbitraries-tensor.js'
import { assertLaw } from '../laws/law-runner.js'
import { addRuleLaw, mulRuleLaw } from '../laws/tensor-rules.js'
import { categoryLaws, chainRuleLaw } from '../laws/tensor-compose.js'
import { checkDiff } from '../laws/tensor.js'
import type { Diff } from '../src/Diff.js'
import {
  abs,
  add,
  bindLeft,
  bindRight,
  broadcastTo,
  concat,
  div,
  dot,
  elementwise,
  exp,
  index,
  log,
  log1p,
  logSumExp,
  matmul,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  pow,
  relu,
  reshape,
  scale,
  sigmoid,
  slice,
  sqrt,
  square,
  sub,
  sum,
  transpose,
  where,
} from '../src/ops/index.js'
import { fromData, wrap } from '../src/Tensor.js'
import type { Tensor } from '../src/Tensor.js'
import type { Tree } from '../src/Tree.js'

type Pair = readonly [Tensor, Tensor]

interface Row {
  readonly name: string
  readonly run: () => void
}

/** One row: every law for `d` on inputs from `arbitrary`. */
const row = <A extends Tree>(name: string, d: Diff<A, Tensor>, arbitrary: Arbitrary<A>): Row => ({
  name,
  run: () => {
    checkDiff(d, { arbitrary })
    assertLaw(chainRuleLaw(sum(), d, { arbitrary }))
    assertLaw(categoryLaws(d, neg, sum(), { arbitrary }))
  },
})

// ---- domains ---------------------------------------------------------------------------------

/** Entries at least 0.1 away from 0 (the kink of abs and relu), magnitudes up to 10.1. */
const awayFromZero = (o: Parameters<typeof tensor>[0] = {}): Arbitrary<Tensor> =>
  tensor(o).map((t) => wrap(t.shape, t.data.map((v) => (v >= 0 ? v + 0.1 : v - 0.1))))

/** Entries of the form k + 1/4 (low) and k + 3/4 (high), so no two are closer than 1/2: no ties. */
const quarter = (t: Tensor, q: number): Tensor => wrap(t.shape, t.data.map((v) => Math.round(v) + q))
const untied: Arbitrary<Pair> = broadcastPair().map(([x, y]) => [quarter(x, 0.25), quarter(y, 0.75)] as const)
const untiedSwapped: Arbitrary<Pair> = broadcastPair().map(([x, y]) => [quarter(x, 0.75), quarter(y, 0.25)] as const)

const positive = (min: number, max: number) => tensor({ min, max })
const pairWith = (a: Arbitrary<Tensor>, b: Arbitrary<Tensor>): Arbitrary<Pair> => fc.tuple(a, b)

/** A broadcast pair whose second element is at least 0.5 away from 0 (a denominator). */
const denominatorPair: Arbitrary<Pair> = broadcastPair().map(
  ([x, y]) => [x, wrap(y.shape, y.data.map((v) => (v >= 0 ? v + 0.5 : v - 0.5)))] as const,
)
/** Base in [0.5, 2], exponent in [-2, 2], broadcast. */
const powPair: Arbitrary<Pair> = broadcastPair({ min: -2, max: 2 }).map(
  ([x, y]) => [wrap(x.shape, x.data.map((v) => 1.25 + 0.375 * v)), y] as const,
)

const rank = (minRank: number, maxRank = 3) => tensor({ minRank, maxRank })
const pieces: Arbitrary<readonly Tensor[]> = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
  .chain((ks) => fc.tuple(...ks.map((k) => tensorOf([2, k]))))
const cond = fromData([2, 3], [1, 0, 1, 0, 0, 1])
const A = fromData([2, 3], [1, -2, 0.5, 3, 0.25, -1])
const b3 = fromData([3], [0.5, -1, 2])

const softplus = elementwise('softplus', (F) => (x) => F.log1p(F.exp(x)))
const softplusClosed = elementwise('softplus (closed form)', (F) => (x) => F.log1p(F.exp(x)), {
  derivative: (x) => 1 / (1 + Math.exp(-x)),
})

// ---- the table -------------------------------------------------------------------------------

const rows: readonly Row[] = [
  // arithmetic, broadcasting
  row<Pair>('add', add, broadcastPair()),
  row<Pair>('sub', sub, broadcastPair()),
  row<Pair>('mul', mul, broadcastPair()),
  row<Pair>('div', div, denominatorPair),
  row<Pair>('pow', pow, powPair),
  row<Pair>('maximum', maximum, untied),
  row<Pair>('maximum (swapped)', maximum, untiedSwapped),
  row<Pair>('minimum', minimum, untied),
  row<Pair>('minimum (swapped)', minimum, untiedSwapped),
  // linear algebra
  row<Pair>('matmul', matmul, matmulPair({ maxDim: 6 })),
  row<Pair>('dot', dot, sameShapePair({ minRank: 1, maxRank: 1, maxDim: 8 })),
  row<Tensor>('bindLeft(matmul, A)', bindLeft(matmul, A), tensorOf([3, 2])),
  row<Tensor>('bindRight(add, b)', bindRight(add, b3), fc.oneof(tensorOf([3]), tensorOf([2, 3]), tensorOf([2, 1]))),
  // unary
  row<Tensor>('neg', neg, tensor()),
  row<Tensor>('scale(2.5)', scale(2.5), tensor()),
  row<Tensor>('exp', exp, tensor()),
  row<Tensor>('log', log, positive(0.1, 5)),
  row<Tensor>('log1p', log1p, positive(-0.9, 5)),
  row<Tensor>('sqrt', sqrt, positive(0.1, 5)),
  row<Tensor>('square', square, tensor()),
  row<Tensor>('abs', abs, awayFromZero()),
  row<Tensor>('relu', relu, awayFromZero()),
  row<Tensor>('sigmoid', sigmoid, tensor()),
  row<Tensor>('elementwise softplus (dual numbers)', softplus, tensor()),
  row<Tensor>('elementwise softplus (closed form)', softplusClosed, tensor()),
  // reductions
  row<Tensor>('sum', sum(), tensor()),
  row<Tensor>('sum (axis 0)', sum({ axis: 0 }), rank(1)),
  row<Tensor>('sum (axis -1, keepdims)', sum({ axis: -1, keepdims: true }), rank(1)),
  row<Tensor>('mean', mean(), tensor()),
  row<Tensor>('mean (axis 1)', mean({ axis: 1 }), rank(2)),
  row<Tensor>('logSumExp', logSumExp(), rank(1)),
  row<Tensor>('logSumExp (axis 0, keepdims)', logSumExp({ axis: 0, keepdims: true }), rank(1)),
  // structure
  row<Tensor>('reshape([3, 2])', reshape([3, 2]), fc.oneof(tensorOf([2, 3]), tensorOf([6]))),
  row<Tensor>('reshape([-1])', reshape([-1]), tensor()),
  row<Tensor>('transpose()', transpose(), tensor()),
  row<Tensor>('transpose([2, 0, 1])', transpose([2, 0, 1]), rank(3)),
  row<Tensor>('broadcastTo([2, 3])', broadcastTo([2, 3]), fc.oneof(tensorOf([]), tensorOf([3]), tensorOf([2, 1]), tensorOf([1, 3]))),
  row<readonly Tensor[]>('concat (axis 1)', concat({ axis: 1 }), pieces),
  row<Tensor>('slice (axis 1, from 1)', slice({ axis: 1, start: 1 }), fc.integer({ min: 1, max: 3 }).chain((n) => tensorOf([n, 3]))),
  row<Tensor>('index (last along axis 0)', index({ at: -1 }), rank(1)),
  // selection
  row<Pair>('where(cond)', where(cond), pairWith(tensorOf([2, 3]), fc.oneof(tensorOf([3]), tensorOf([2, 3])))),
]

describe('every primitive through every law', () => {
  it.each(rows)('$name', ({ run }) => run())
})

describe('backward rules of the arithmetic nodes', () => {
  it('add passes the cotangent unchanged to both inputs (summed over broadcast axes)', () => {
    assertLaw(addRuleLaw(add))
    assertLaw(addRuleLaw(add, { arbitrary: broadcastPair() }))
  })

  it('mul sends each input the cotangent times the other input', () => {
    assertLaw(mulRuleLaw(mul))
    assertLaw(mulRuleLaw(mul, { arbitrary: broadcastPair() }))
  })

  it('scale(k) agrees with mul by a constant', () => {
    checkDiff(scale(-1.5), { arbitrary: scalarValue().map((v) => fromData([], [v])) })
  })
})
