/**
 * One {@link ProgramCase} per primitive of the tensor algebra (and the user-level operations
 * built on them), with arguments drawn away from kinks and poles, for {@link checkProgram}.
 *
 * @packageDocumentation
 */
import fc from './fc.js'
import type { Arbitrary } from 'fast-check'
import * as Program from '../src/program/index.js'
import type { Shape, Tensor } from '../src/Tensor.js'
import { fromData } from '../src/Tensor.js'
import { scalarValue } from './arbitraries-tensor.js'
import type { ProgramCase } from './program.js'

const dims = fc.integer({ min: 1, max: 3 })
const shapeR = (min: number, max: number): Arbitrary<Shape> => fc.array(dims, { minLength: min, maxLength: max })
/** A tensor of shape `s`, entries in [lo, hi], or, with `away`, of magnitude in [lo, hi] with either sign. */
const tensorIn = (s: Shape, lo: number, hi: number, away = false): Arbitrary<Tensor> => {
  const n = s.reduce((a, b) => a * b, 1)
  const v = scalarValue({ min: lo, max: hi })
  const e = away ? fc.tuple(v, fc.boolean()).map(([x, neg]) => (neg ? -x : x)) : v
  return fc.array(e, { minLength: n, maxLength: n }).map((d) => fromData(s, d))
}
const unary = (name: string, f: ProgramCase['f'], lo = -2, hi = 2, away = false): ProgramCase => ({
  name,
  f,
  args: shapeR(0, 3).chain((s) => fc.tuple(tensorIn(s, lo, hi, away))),
})
/** Two shapes that broadcast together (the second a suffix of the first, some axes 1). */
const broadcastPair = (lo = -2, hi = 2, awayB = false): Arbitrary<readonly Tensor[]> =>
  shapeR(0, 3).chain((s) =>
    fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })).chain(([k, ones]) => {
      const t = s.slice(k).map((d, i) => (ones[i + k] ? 1 : d))
      return fc.tuple(tensorIn(s, lo, hi), tensorIn(t, awayB ? 0.5 : lo, awayB ? 2 : hi, awayB))
    }),
  )
const softsign = Program.elementwise('softsign', (F) => (x) => F.div(x, F.add(F.one, F.abs(x))))

/**
 * The cases of every primitive: elementwise functions, broadcasting arithmetic (pow, maximum and
 * minimum included), `where`, batched
 * matmul, transpose, reshape, broadcastTo/sumTo, sum, logSumExp, slice/pad, concat, a user's
 * elementwise function, and softmax cross-entropy.
 *
 * @example
 * ```ts
 * import { primitiveCases } from 'autodiff-ts/laws'
 *
 * primitiveCases.some((c) => c.name.startsWith('matmul')) // true
 * ```
 * @category laws
 */
export const primitiveCases: readonly ProgramCase[] = [
  unary('neg', (A) => (x) => A.neg(x!)),
  unary('scale', (A) => (x) => A.scale(x!, -1.5)),
  unary('square (mul(x, x) in the table)', (A) => (x) => A.square(x!)),
  unary('exp', (A) => (x) => A.exp(x!)),
  unary('log', (A) => (x) => A.log(x!), 0.2, 5),
  unary('log1p', (A) => (x) => A.log1p(x!), -0.8, 5),
  unary('sqrt', (A) => (x) => A.sqrt(x!), 0.2, 5),
  unary('abs', (A) => (x) => A.abs(x!), 0.05, 3, true),
  unary('sin', (A) => (x) => A.sin(x!), -4, 4),
  unary('cos', (A) => (x) => A.cos(x!), -4, 4),
  unary('tanh', (A) => (x) => A.tanh(x!), -4, 4),
  unary('sigmoid', (A) => (x) => A.sigmoid(x!), -6, 6),
  unary('relu', (A) => (x) => A.relu(x!), 0.05, 3, true),
  unary('softsign (a user elementwise function from its generic definition)', (A) => (x) => A.map(softsign, x!), 0.05, 3, true),
  { name: 'add', f: (A) => (a, b) => A.add(a!, b!), args: broadcastPair() },
  { name: 'sub', f: (A) => (a, b) => A.sub(a!, b!), args: broadcastPair() },
  { name: 'mul', f: (A) => (a, b) => A.mul(a!, b!), args: broadcastPair() },
  { name: 'div', f: (A) => (a, b) => A.div(a!, b!), args: broadcastPair(-2, 2, true) },
  // a positive base (the exponent's derivative is 0 at a <= 0 by convention), an exponent away from 0
  { name: 'pow', f: (A) => (a, b) => A.pow(a!, b!), args: broadcastPair(0.5, 2, true) },
  // |a| <= 0.25 < 0.5 <= |b|: never tied, and either argument wins by b's sign
  { name: 'maximum', f: (A) => (a, b) => A.maximum(a!, b!), args: broadcastPair(-0.25, 0.25, true) },
  { name: 'minimum', f: (A) => (a, b) => A.minimum(a!, b!), args: broadcastPair(-0.25, 0.25, true) },
  {
    name: 'where (mask from a comparison)',
    f: (A) => (a, b, m) => A.where(A.gt(m!, A.constant(0)), a!, b!),
    args: shapeR(0, 3).chain((s) => fc.tuple(tensorIn(s, -2, 2), tensorIn(s.slice(1), -2, 2), tensorIn(s, 0.1, 1, true))),
  },
  {
    name: 'matmul (batched, broadcast batch axes, vectors)',
    f: (A) => (a, b) => A.matmul(a!, b!),
    args: fc.tuple(dims, dims, dims, shapeR(0, 2), fc.boolean(), fc.boolean()).chain(([m, k, n, batch, va, vb]) =>
      fc.tuple(tensorIn(va ? [k] : [...batch, m, k], -2, 2), tensorIn(vb ? [k] : [k, n], -2, 2)),
    ),
  },
  {
    name: 'transpose',
    f: (A) => (x) => A.transpose(x!, A.shape(x!).map((_, i, s) => s.length - 1 - i)),
    args: shapeR(1, 4).chain((s) => fc.tuple(tensorIn(s, -2, 2))),
  },
  { name: 'reshape', f: (A) => (x) => A.reshape(x!, [-1]), args: shapeR(0, 3).chain((s) => fc.tuple(tensorIn(s, -2, 2))) },
  { name: 'broadcastTo', f: (A) => (x) => A.broadcastTo(x!, [2, ...A.shape(x!)]), args: shapeR(0, 2).chain((s) => fc.tuple(tensorIn(s, -2, 2))) },
  { name: 'sumTo', f: (A) => (x) => A.sumTo(x!, A.shape(x!).slice(1)), args: shapeR(1, 3).chain((s) => fc.tuple(tensorIn(s, -2, 2))) },
  { name: 'sum', f: (A) => (x) => A.sum(x!, { axes: [0], keepDims: true }), args: shapeR(1, 3).chain((s) => fc.tuple(tensorIn(s, -2, 2))) },
  { name: 'mean', f: (A) => (x) => A.mean(x!), args: shapeR(0, 3).chain((s) => fc.tuple(tensorIn(s, -2, 2))) },
  { name: 'logSumExp', f: (A) => (x) => A.logSumExp(x!, -1), args: shapeR(1, 3).chain((s) => fc.tuple(tensorIn(s, -3, 3))) },
  { name: 'softmax', f: (A) => (x) => A.softmax(x!), args: shapeR(1, 3).chain((s) => fc.tuple(tensorIn(s, -3, 3))) },
  {
    name: 'slice (and its transpose, pad)',
    f: (A) => (x) => A.slice(x!, 0, 0, 1),
    args: shapeR(1, 3).chain((s) => fc.tuple(tensorIn(s, -2, 2))),
  },
  {
    name: 'concat',
    f: (A) => (a, b) => A.concat([a!, b!], -1),
    args: shapeR(1, 3).chain((s) => fc.tuple(tensorIn(s, -2, 2), tensorIn([...s.slice(0, -1), 2], -2, 2))),
  },
  {
    name: 'softmaxCrossEntropy',
    f: (A) => (x) => A.softmaxCrossEntropy(x!, Array.from({ length: A.shape(x!)[0]! }, (_, i) => i % A.shape(x!)[1]!)),
    args: fc.tuple(dims, dims).chain(([n, c]) => fc.tuple(tensorIn([n, c], -3, 3))),
  },
]
