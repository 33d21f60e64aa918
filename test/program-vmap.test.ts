/**
 * vmap against loops over examples: per-example gradients (and their norms) of an MLP, with
 * integer labels and masks batched as data, nested vmap (vmap of vmap, vmap of grad of vmap,
 * per-example Hessians), vmap inside grad, jvp and hvp, Diffs and layers under vmap (a row-wise
 * rule or a loop), in and out axes, and the errors.
 */
import { describe, expect, it } from 'vitest'
import * as Act from '../src/Activation.js'
import { make as makeDiff } from '../src/Diff.js'
import * as Random from '../src/Random.js'
import * as Layer from '../src/Layer.js'
import * as Loss from '../src/Loss.js'
import * as Program from '../src/program/index.js'
import type { Algebra } from '../src/program/index.js'
import { ShapeError } from '../src/ShapeError.js'
import type { Tensor } from '../src/Tensor.js'
import { isTensor, tensor } from '../src/Tensor.js'
import { filled } from '../examples/models.js'

const P = Program.plain
/** Every tensor of `a` equals the one of `b` at the same place, to `rel` of the largest entry of `b`. */
const close = (a: unknown, b: unknown, rel: number): void => {
  if (isTensor(b)) {
    expect(isTensor(a)).toBe(true)
    const t = a as Tensor
    expect(t.shape).toEqual(b.shape)
    const scale = Math.max(1e-300, ...Array.from(b.data, Math.abs))
    b.data.forEach((v, i) => expect(Math.abs(t.data[i]! - v)).toBeLessThanOrEqual(rel * scale))
    return
  }
  const keys = Object.keys(b as object)
  expect(Object.keys(a as object)).toEqual(keys)
  for (const k of keys) close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel)
}
/** Example `i` of `t` along axis 0. */
const at = (t: Tensor, i: number): Tensor => P.reshape(P.slice(t, 0, i, i + 1), t.shape.slice(1))
/** Tensors (or records of them) stacked along a new axis 0. */
const stack = <X>(xs: readonly X[]): X =>
  (isTensor(xs[0])
    ? P.concat(xs.map((x) => P.reshape(x as Tensor, [1, ...(x as Tensor).shape])), 0)
    : Object.fromEntries(Object.keys(xs[0] as object).map((k) => [k, stack(xs.map((x) => (x as Record<string, unknown>)[k]))]))) as X
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

type Params<T> = { w1: T; b1: T; w2: T; b2: T }
const keys = ['w1', 'b1', 'w2', 'b2'] as const
const params: Params<Tensor> = { w1: filled([3, 4], 1), b1: filled([4], 2), w2: filled([4, 3], 3), b2: filled([3], 4) }
const logits = <T>(A: Algebra<T>) => (p: Params<T>, x: T) => A.add(A.matmul(A.relu(A.add(A.matmul(x, p.w1), p.b1)), p.w2), p.b2)
const gradNorm = <T>(A: Algebra<T>, g: Params<T>): T => A.sqrt(keys.map((k) => A.sum(A.square(g[k]))).reduce((a, b) => A.add(a, b)))

describe('per-example gradients of an MLP', () => {
  const mse = <T>(A: Algebra<T>) => (p: Params<T>, x: T, y: T) => A.mse(logits(A)(p, x), y)
  const xs = filled([6, 3], 11)
  const ys = filled([6, 3], 12)
  it('with a regression target: gradients and their norms agree with a loop over the examples', () => {
    const per = Program.vmap(<T>(A: Algebra<T>) => (p: Params<T>, x: T, y: T) => Program.gradIn(A)(mse)(p, x, y), [null, 0, 0])(params, xs, ys)
    const loop = range(6).map((i) => Program.grad(mse)(params, at(xs, i), at(ys, i)))
    close(per, stack(loop), 1e-14)
    const norms = Program.vmap(<T>(A: Algebra<T>) => (p: Params<T>, x: T, y: T) => gradNorm(A, Program.gradIn(A)(mse)(p, x, y)), [null, 0, 0])(params, xs, ys)
    close(norms, stack(loop.map((g) => gradNorm(P, g))), 1e-14)
  })
  it('with integer class labels batched as data (Program.labels): losses, gradients and norms agree with a loop', () => {
    const ce = <T>(A: Algebra<T>) => (p: Params<T>, x: T, y: Program.Labels) => A.softmaxCrossEntropy(logits(A)(p, x), y)
    const labels = [0, 2, 1, 1, 0, 2]
    const ls = Program.labels(labels)
    const losses = Program.vmap(ce, [null, 0, 0])(params, xs, ls)
    close(losses, P.softmaxCrossEntropy(logits(P)(params, xs), labels, 'none'), 1e-15)
    const per = Program.vmap(<T>(A: Algebra<T>) => (p: Params<T>, x: T, y: Program.Labels) => Program.gradIn(A)(ce)(p, x, y), [null, 0, 0])(params, xs, ls)
    // the loop: one example at a time, as a batch of one row
    const rowCe = <T>(A: Algebra<T>) => (p: Params<T>, x: T, y: readonly number[]) => A.softmaxCrossEntropy(logits(A)(p, A.reshape(x, [1, 3])), y)
    const loop = range(6).map((i) => Program.grad(rowCe)(params, at(xs, i), [labels[i]!]))
    close(per, stack(loop), 1e-14)
    const norms = Program.vmap(<T>(A: Algebra<T>) => (p: Params<T>, x: T, y: Program.Labels) => gradNorm(A, Program.gradIn(A)(ce)(p, x, y)), [null, 0, 0])(params, xs, ls)
    close(norms, stack(loop.map((g) => gradNorm(P, g))), 1e-14)
    // the mean of the per-example gradients is the batch gradient
    const batch = Program.grad(<T>(A: Algebra<T>) => (p: Params<T>, x: T) => A.softmaxCrossEntropy(logits(A)(p, x), labels))(params, xs)
    for (const k of keys) close(P.mean(per[k], { axes: [0] }), batch[k], 1e-14)
  })
  it('labels per example of several rows ([batch, rows] labels), and nested: labels batched by two calls of vmap', () => {
    const ce = <T>(A: Algebra<T>) => (p: Params<T>, x: T, y: Program.Labels) => A.softmaxCrossEntropy(logits(A)(p, x), y, 'sum')
    const x3 = filled([2, 3, 3], 13)
    const y3 = [[0, 1, 2], [2, 2, 0]]
    const rows = Program.vmap(ce, [null, 0, 0])(params, x3, Program.labels(tensor(y3)))
    close(rows, stack(range(2).map((i) => P.softmaxCrossEntropy(logits(P)(params, at(x3, i)), y3[i]!, 'sum'))), 1e-15)
    // vmap of vmap: each inner example is one row with one label
    const nested = Program.vmap(
      <T>(A: Algebra<T>) => (p: Params<T>, x: T, y: Program.Labels) =>
        Program.vmapIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (xi: S, yi: Program.Labels) =>
          S.softmaxCrossEntropy(logits(S)({ w1: lift(p.w1), b1: lift(p.b1), w2: lift(p.w2), b2: lift(p.b2) }, xi), yi),
        )(x, y),
      [null, 0, 0],
    )(params, x3, Program.labels(tensor(y3)))
    expect(nested.shape).toEqual([2, 3])
    close(nested, stack(range(2).map((i) => P.softmaxCrossEntropy(logits(P)(params, at(x3, i)), y3[i]!, 'none'))), 1e-15)
  })
})


describe('nested vmap, and vmap composed with grad, jvp and hvp', () => {
  const xs = filled([4, 3], 21)
  const ys = filled([5, 3], 22)
  it('vmap of vmap: the outer and inner batch axes stay apart (all pairs, masks included)', () => {
    // relu(x · y - 0.05): a comparison, so a mask batched by both calls
    const pairs = Program.vmap(<T>(A: Algebra<T>) => (x: T, yy: T) =>
      Program.vmapIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (y: S) => S.relu(S.sub(S.sum(S.mul(lift(x), y)), S.constant(0.05))))(yy), [0, null])(xs, ys)
    expect(pairs.shape).toEqual([4, 5])
    close(pairs, stack(range(4).map((i) => stack(range(5).map((j) => P.relu(P.sub(P.sum(P.mul(at(xs, i), at(ys, j))), P.constant(0.05))))))), 1e-15)
    // the same pairs batched by both calls along their own axes of one [4, 5, 3] input
    const grid = stack(range(4).map((i) => stack(range(5).map((j) => P.mul(at(xs, i), at(ys, j))))))
    const both = Program.vmap(<T>(A: Algebra<T>) => (g: T) => Program.vmapIn(A)(<S>(S: Algebra<S>) => (v: S) => S.relu(S.sub(S.sum(v), S.constant(0.05))))(g))(grid)
    close(both, pairs, 1e-15)
  })
  it('an outer vmap value used in the inner call without lift, or its mask, is refused', () => {
    expect(() =>
      Program.vmap(<T>(A: Algebra<T>) => (x: T, yy: T) => Program.vmapIn(A)(<S>(S: Algebra<S>) => (y: S) => S.mul(x as unknown as S, y))(yy), [0, null])(xs, ys),
    ).toThrow(/mul: argument 0 should be a value of vmap call \d+, found a value of vmap call \d+/)
    expect(() =>
      Program.vmap(<T>(A: Algebra<T>) => (x: T, yy: T) => {
        let leaked: Program.Mask | undefined
        Program.vmapIn(A)(<S>(S: Algebra<S>) => (y: S) => {
          leaked = S.gt(y, S.constant(0))
          return y
        })(yy)
        return A.where(leaked!, x, x)
      }, [0, null])(xs, ys),
    ).toThrow(/where: a mask batched by vmap was used outside that call of vmap/)
  })
  it('vmap of grad of vmap: per-example gradients of a loss that vmaps inside, against a loop', () => {
    const w = filled([3], 23)
    const inner = <T>(A: Algebra<T>) => (v: T, x: T, yy: T) =>
      A.sum(Program.vmapIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (y: S) => S.tanh(S.sum(S.mul(S.mul(lift(v), lift(x)), y))))(yy))
    const per = Program.vmap(<T>(A: Algebra<T>) => (v: T, x: T, yy: T) => Program.gradIn(A)(inner)(v, x, yy), [null, 0, null])(w, xs, ys)
    const loop = range(4).map((i) => Program.grad(inner)(w, at(xs, i), ys))
    close(per, stack(loop), 1e-14)
    // and without any vmap: the loss as a loop over ys
    const plainLoss = <T>(A: Algebra<T>) => (v: T, x: T) => range(5).map((j) => A.tanh(A.sum(A.mul(A.mul(v, x), A.constant(at(ys, j)))))).reduce((a, b) => A.add(a, b))
    range(4).forEach((i) => close(at(per, i), Program.grad(plainLoss)(w, at(xs, i)), 1e-14))
  })
  it('grad of vmap of vmap: the gradient of a sum over all pairs equals the sum of the pairs\' gradients', () => {
    const f = <S>(S: Algebra<S>) => (w: S, x: S, y: S) => S.tanh(S.sum(S.mul(S.mul(w, x), y)))
    const w = filled([3], 24)
    const total = <T>(A: Algebra<T>) => (v: T, xx: T, yy: T) =>
      A.sum(Program.vmapIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (x: S) =>
        Program.vmapIn(S)(<U>(U: Algebra<U>, inner: (s: S) => U) => (y: U) => f(U)(inner(lift(v)), inner(x), y))(lift(yy)))(xx))
    const pairs = range(4).flatMap((i) => range(5).map((j) => Program.grad(f)(w, at(xs, i), at(ys, j))))
    close(Program.grad(total)(w, xs, ys), pairs.reduce((a, b) => P.add(a, b)), 1e-14)
  })
  it('grad, jvp and hvp of a vmapped sum equal the sums over the examples', () => {
    const f = <T>(A: Algebra<T>) => (p: Params<T>, x: T) => A.sum(A.tanh(logits(A)(p, x)))
    const summed = <T>(A: Algebra<T>) => (p: Params<T>, x: T) =>
      A.sum(Program.vmapIn(A)(<S>(S: Algebra<S>, lift: (t: T) => S) => (q: Params<S>, xi: S) => f(S)(q, xi), [null, 0])(
        { w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2 } as Params<T>,
        x,
      ))
    const dir = { w1: filled([3, 4], 31), b1: filled([4], 32), w2: filled([4, 3], 33), b2: filled([3], 34) }
    const sum = <X>(gs: readonly X[]): X =>
      (isTensor(gs[0]) ? gs.reduce((a, b) => P.add(a as Tensor, b as Tensor) as X) : Object.fromEntries(keys.map((k) => [k, sum(gs.map((g) => (g as Record<string, Tensor>)[k]!))]))) as X
    close(Program.grad(summed)(params, xs), sum(range(4).map((i) => Program.grad(f)(params, at(xs, i)))), 1e-14)
    close(Program.jvp(summed)(params, dir, xs)[1], sum(range(4).map((i) => Program.jvp(f)(params, dir, at(xs, i))[1])), 1e-14)
    close(Program.hvp(summed)(params, dir, xs), sum(range(4).map((i) => Program.hvp(f)(params, dir, at(xs, i)))), 1e-13)
  })
  it('per-example Hessians (vmap of hessianIn) and Hessian-vector products agree with a loop', () => {
    const f = <S>(S: Algebra<S>) => (w: S, x: S) => S.sum(S.tanh(S.mul(S.matmul(S.reshape(x, [1, 3]), S.reshape(w, [3, 1])), S.sum(S.square(w)))))
    const w = filled([3], 41)
    const hs = Program.vmap(<T>(A: Algebra<T>) => (v: T, x: T) => Program.hessianIn(A)(f)(v, x), [null, 0])(w, xs)
    expect(hs.shape).toEqual([4, 3, 3])
    close(hs, stack(range(4).map((i) => Program.hessian(f)(w, at(xs, i)))), 1e-13)
    const hv = Program.vmap(<T>(A: Algebra<T>) => (v: T, t: T, x: T) => Program.hvpIn(A)(f)(v, t, x), [0, 0, 0])(stack(range(4).map(() => w)), xs, xs)
    close(hv, stack(range(4).map((i) => Program.hvp(f)(w, at(xs, i), at(xs, i)))), 1e-13)
  })
})

describe('masks and integer labels are data: batched, never differentiated', () => {
  it('a mask given as an input is batched like a tensor (vmap equals a loop)', () => {
    const xs = filled([3, 4], 51)
    const ms = filled([3, 4], 52)
    const f = <T>(A: Algebra<T>) => (x: T, m: Program.Mask) => A.sum(A.where(m, A.exp(x), A.constant(0)))
    const y = Program.vmap(f)(xs, Program.mask(P.primal(P.where(P.gt(ms, P.constant(0)), P.constant(1), P.constant(0)))))
    close(y, stack(range(3).map((i) => f(P)(at(xs, i), P.gt(at(ms, i), P.constant(0))))), 1e-15)
  })
  it('labels and masks batched along another axis, and by two nested calls (the inner axis after the outer one)', () => {
    const ce = <T>(A: Algebra<T>) => (x: T, y: Program.Labels) => A.softmaxCrossEntropy(x, y, 'none')
    const xs = filled([2, 4, 3], 53)
    // labels [rows, examples]: the batch along axis 1
    const ys = [[0, 1, 2, 0], [2, 2, 1, 0]]
    const byColumn = Program.vmap(ce, [1, 1])(xs, Program.labels(tensor(ys)))
    close(byColumn, stack(range(4).map((j) => P.softmaxCrossEntropy(at(P.transpose(xs, [1, 0, 2]), j), [ys[0]![j]!, ys[1]![j]!], 'none'))), 1e-15)
    // masks [2, 4, 3]: outer call over axis 0, inner over axis 0 of each example (the original axis 1)
    const ms = filled([2, 4, 3], 54)
    const masked = <S>(S: Algebra<S>) => (x: S, m: Program.Mask) => S.sum(S.where(m, S.exp(x), S.neg(x)))
    const nested = Program.vmap(<T>(A: Algebra<T>) => (x: T, m: Program.Mask) => Program.vmapIn(A)(masked)(x, m))(xs, Program.mask(P.primal(P.where(P.gt(ms, P.constant(0)), P.constant(1), P.constant(0)))))
    close(nested, stack(range(2).map((i) => stack(range(4).map((j) => masked(P)(at(at(xs, i), j), P.gt(at(at(ms, i), j), P.constant(0))))))), 1e-15)
    // the inner call batching the masks along their last axis instead
    const byLast = Program.vmap(<T>(A: Algebra<T>) => (x: T, m: Program.Mask) => Program.vmapIn(A)(masked, [1, 1])(x, m))(xs, Program.mask(P.primal(P.where(P.gt(ms, P.constant(0)), P.constant(1), P.constant(0)))))
    const cols = (t: Tensor, i: number, k: number) => P.reshape(P.slice(at(t, i), 1, k, k + 1), [4])
    close(byLast, stack(range(2).map((i) => stack(range(3).map((k) => masked(P)(cols(xs, i, k), P.gt(cols(ms, i, k), P.constant(0))))))), 1e-15)
  })
  it('labels given as a plain array to a batched argument are refused with a hint; bad labels are named', () => {
    const ce = <T>(A: Algebra<T>) => (x: T, y: readonly number[]) => A.softmaxCrossEntropy(x, y)
    expect(() => Program.vmap(ce)(filled([2, 3], 1), [0, 1])).toThrow(/vmap: arguments\[1\]\[0\] is batched .* found|pass integer labels as Program.labels/)
    expect(() => Program.labels([0, 1.5])).toThrow(/labels: entry 1 should be a non-negative integer/)
    expect(() => Program.vmap(ce, [0, 0])(filled([2, 3], 1), Program.labels([0, 3]) as never)).toThrow(/softmaxCrossEntropy: labels\[1\] should be an integer class in \[0, 3\), found 3/)
    // shared labels need no wrapping
    expect(Program.vmap(ce, [0, null])(filled([2, 2, 3], 1), [0, 1]).shape).toEqual([2])
  })
})

describe('Diffs and layers under vmap', () => {
  const dense = Layer.dense(3, 2)
  const p = { w: filled([3, 2], 61), b: filled([2], 62) }
  const xs = filled([4, 2, 3], 63)
  const viaDiff = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => A.sum(A.square(Program.call(Act.tanh.diff)(A)(Program.call(dense)(A)([q, x]))))
  it('dense and activation layers fold the batch into their rows: values, per-example gradients and jvps agree with a loop', () => {
    close(Program.vmap(viaDiff, [null, 0])(p, xs), stack(range(4).map((i) => viaDiff(P)(p, at(xs, i)))), 1e-15)
    const per = Program.vmap(<T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => Program.gradIn(A)(viaDiff)(q, x), [null, 0])(p, xs)
    close(per, stack(range(4).map((i) => Program.grad(viaDiff)(p, at(xs, i)))), 1e-14)
    const tangents = Program.vmap(<T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => Program.jvpIn(A)(viaDiff)(q, q, x)[1], [null, 0])(p, xs)
    close(tangents, stack(range(4).map((i) => Program.jvp(viaDiff)(p, p, at(xs, i))[1])), 1e-14)
    const model = Layer.sequential(Layer.dense(3, 4), Layer.activation(Act.relu), Layer.dense(4, 2))
    const mp = model.init(Random.key(1))
    const viaModel = <T>(A: Algebra<T>) => (q: unknown, x: T) => A.sum(Program.call(model)(A)([q, x] as never))
    close(Program.vmap(viaModel, [null, 0])(mp, xs), stack(range(4).map((i) => viaModel(P)(mp, at(xs, i)))), 1e-15)
  })
  it('a row-wise Diff runs once for the whole batch; any other once per example', () => {
    let calls = 0
    const counted = makeDiff<Tensor, Tensor>({
      apply: (x) => {
        calls++
        return Act.tanh.diff.apply(x)
      },
      jvp: (x, dx) => Act.tanh.diff.jvp(x, dx),
      vjp: (x) => Act.tanh.diff.vjp(x),
    })
    const f = (d: typeof counted) => <T>(A: Algebra<T>) => (x: T) => Program.call(d)(A)(x)
    const looped = Program.vmap(f(counted))(xs)
    expect(calls).toBe(4)
    calls = 0
    const folded = Program.vmap(f({ ...counted, rowwise: true } as typeof counted))(xs)
    expect(calls).toBe(1)
    close(folded, looped, 0)
    close(looped, P.tanh(xs), 1e-15)
  })
  it('any other Diff (a loss) falls back to a loop over the examples, in every mode', () => {
    const target = filled([2, 2], 64)
    const viaLoss = <T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => Program.call(Loss.mse(target))(A)(A.tanh(A.add(A.matmul(x, q.w), q.b)))
    close(Program.vmap(viaLoss, [null, 0])(p, xs), stack(range(4).map((i) => viaLoss(P)(p, at(xs, i)))), 1e-15)
    const per = Program.vmap(<T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => Program.gradIn(A)(viaLoss)(q, x), [null, 0])(p, xs)
    close(per, stack(range(4).map((i) => Program.grad(viaLoss)(p, at(xs, i)))), 1e-14)
    // a Diff nested under two derivatives is still refused
    expect(() => Program.vmap(<T>(A: Algebra<T>) => (q: { w: T; b: T }, x: T) => Program.hvpIn(A)(viaLoss)(q, q, x).w, [null, 0])(p, xs)).toThrow(
      /a Diff carries no program.*build it with Layer.fromFunction/,
    )
  })
})

describe('in and out axes', () => {
  const x = filled([3, 4], 71)
  it('any axis in, any axis out, null for shared arguments and for outputs that do not depend on the batch', () => {
    const f = <T>(A: Algebra<T>) => (a: T, b: T) => A.mul(a, b)
    const b = filled([3], 72)
    // the batch along axis 1 of x (4 examples of 3 entries), out along axis 1
    const y = Program.vmap(f, [1, null], 1)(x, b)
    close(y, P.mul(x, P.reshape(b, [3, 1])), 1e-15)
    close(Program.vmap(f, [-1, null], -1)(x, b), y, 0)
    // a tree prefix: w shared, b batched
    const g = <T>(A: Algebra<T>) => (p: { w: T; b: T }, v: T) => A.add(A.matmul(v, p.w), p.b)
    const w = filled([4, 2], 73)
    const bs = filled([3, 2], 74)
    close(Program.vmap(g, [{ w: null, b: 0 }, 0])({ w, b: bs }, x), P.add(P.matmul(x, w), bs), 1e-15)
    // an output that does not depend on the batch, with out axis null
    const [s, c] = Program.vmap(<T>(A: Algebra<T>) => (v: T, k: T) => [A.sum(v), A.exp(k)] as const, [0, null], [0, null])(x, b)
    close(s, P.sum(x, { axes: [1] }), 1e-15)
    close(c, P.exp(b), 0)
  })
  it('errors name what is wrong', () => {
    const f = <T>(A: Algebra<T>) => (a: T, b: T) => A.add(a, b)
    expect(() => Program.vmap(f)(filled([2, 3], 1), filled([3, 3], 1))).toThrow(ShapeError)
    expect(() => Program.vmap(f)(filled([2, 3], 1), filled([3, 3], 1))).toThrow(/one batch extent, found 2 \(arguments\[0\]\), 3 \(arguments\[1\]\)/)
    expect(() => Program.vmap(f, [null, null])(x, x)).toThrow(/at least one argument should be batched/)
    expect(() => Program.vmap(f, [2, 0])(x, x)).toThrow(/arguments\[0\]: an in axis of its shape \[3, 4\] in \[-2, 1\], found 2/)
    expect(() => Program.vmap(f, [0])(x, x)).toThrow(/the axes of arguments are an array of 1/)
    expect(() => Program.vmap(f, 0, null)(x, x)).toThrow(/the output has the out axis null but depends on the batch/)
  })
})

describe('labels are not differentiable', () => {
  it('labels used as a value of the algebra are refused, naming the primitive and what was found', () => {
    expect(() => Program.grad(<T>(A: Algebra<T>) => (x: T, y: Program.Labels) => A.sum(A.mul(x, y as unknown as T)))(filled([2], 1), Program.labels([0, 1]))).toThrow(
      /mul: argument 1 .* found integer labels, which are not differentiable/,
    )
  })
})
